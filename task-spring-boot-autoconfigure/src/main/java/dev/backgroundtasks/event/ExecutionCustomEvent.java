package dev.backgroundtasks.event;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A custom event a running task emitted with {@link dev.backgroundtasks.TaskContext#event}.
 *
 * @param executionId the execution id
 * @param task the task name
 * @param attempt the attempt that emitted it
 * @param name the event name
 * @param data the event data as JSON, or {@code null}; other nodes receive {@code null} when the data is
 * too large for a PostgreSQL notification (about 7 KB)
 */
public record ExecutionCustomEvent(UUID executionId, String task, int attempt, String name,
		@Nullable JsonNode data) implements ExecutionEvent {

	@Override
	public String kind() {
		return "custom";
	}

}
