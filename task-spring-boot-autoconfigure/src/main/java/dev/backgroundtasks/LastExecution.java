package dev.backgroundtasks;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The most recently created execution of a task.
 *
 * @param id the execution id
 * @param status its status when read
 * @param finishedAt when it finished, or {@code null} while it has not
 */
public record LastExecution(UUID id, TaskStatus status, @Nullable Instant finishedAt) {
}
