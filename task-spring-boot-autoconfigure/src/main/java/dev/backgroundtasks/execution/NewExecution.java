package dev.backgroundtasks.execution;

import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;

/**
 * An execution about to be stored.
 *
 * @param id the id, from {@link ExecutionIds}
 * @param task the task name
 * @param trigger what created it
 * @param params the validated params as JSON text
 */
public record NewExecution(UUID id, String task, TaskTrigger trigger, String params) {
}
