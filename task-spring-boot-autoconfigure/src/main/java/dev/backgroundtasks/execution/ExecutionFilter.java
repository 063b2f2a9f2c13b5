package dev.backgroundtasks.execution;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Which executions a listing includes; a {@code null} field does not filter.
 *
 * @param task only executions of this task
 * @param status only executions in this state
 */
public record ExecutionFilter(@Nullable String task, @Nullable TaskStatus status) {
}
