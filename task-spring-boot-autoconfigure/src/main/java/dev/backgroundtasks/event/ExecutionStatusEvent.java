package dev.backgroundtasks.event;

import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * An execution moved to a new state (stored, claimed, finished, scheduled for a retry, handed back or
 * cancelled).
 *
 * @param executionId the execution id
 * @param task the task name
 * @param status the state it is in now
 * @param attempt the attempt number (0 before the first attempt)
 * @param node the node that ran the attempt, or {@code null}
 */
public record ExecutionStatusEvent(UUID executionId, String task, TaskStatus status, int attempt,
		@Nullable String node) implements ExecutionEvent {

	@Override
	public String kind() {
		return "status";
	}

}
