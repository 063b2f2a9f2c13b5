package dev.backgroundtasks.event;

import java.util.UUID;

import dev.backgroundtasks.ExecutionProgress;

/**
 * The progress of a running execution was written (a few times per second at most, as the worker
 * coalesces reports).
 *
 * @param executionId the execution id
 * @param task the task name
 * @param attempt the attempt that reported it
 * @param progress the progress written
 */
public record ExecutionProgressEvent(UUID executionId, String task, int attempt, ExecutionProgress progress)
		implements ExecutionEvent {

	@Override
	public String kind() {
		return "progress";
	}

}
