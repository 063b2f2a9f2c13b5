package dev.backgroundtasks.execution;

import java.util.UUID;

import dev.backgroundtasks.TaskStatus;

/**
 * An execution that stopped {@code WAITING}: the executions it waited for all succeeded ({@code READY}),
 * or one of them failed or was cancelled ({@code CANCELLED}, with a
 * {@link dev.backgroundtasks.DependencyFailedException} error).
 *
 * @param id the execution id
 * @param task the task name
 * @param status where it went: {@code READY} or {@code CANCELLED}
 */
public record ReleasedExecution(UUID id, String task, TaskStatus status) {
}
