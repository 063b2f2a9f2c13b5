package dev.backgroundtasks.execution;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Which executions a listing includes; a {@code null} field does not filter.
 *
 * @param task only executions of this task
 * @param status only executions in this state
 * @param submittedBy only executions submitted by this principal
 */
public record ExecutionFilter(@Nullable String task, @Nullable TaskStatus status, @Nullable String submittedBy) {

	/**
	 * @param task only executions of this task
	 * @param status only executions in this state
	 */
	public ExecutionFilter(@Nullable String task, @Nullable TaskStatus status) {
		this(task, status, null);
	}

}
