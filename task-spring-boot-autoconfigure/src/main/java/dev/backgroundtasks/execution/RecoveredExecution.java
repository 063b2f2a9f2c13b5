package dev.backgroundtasks.execution;

import java.util.UUID;

import dev.backgroundtasks.TaskStatus;

/**
 * An execution returned from a node that stopped heartbeating.
 *
 * @param id the execution id
 * @param task the task name
 * @param status where it went: {@code READY} (attempts left), {@code FAILED} or {@code CANCELLED}
 * @param attempt the attempt that was lost
 * @param node the node that lost it
 */
public record RecoveredExecution(UUID id, String task, TaskStatus status, int attempt, String node) {
}
