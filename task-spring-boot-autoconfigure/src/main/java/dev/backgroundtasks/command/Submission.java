package dev.backgroundtasks.command;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request to store an execution, from any entry point.
 *
 * @param task the task name
 * @param params the params as a JSON object
 * @param trigger what submits it
 * @param priority higher runs first
 * @param runAt when it becomes due, or {@code null}
 * @param delay how long after now it becomes due, or {@code null}
 * @param key the deduplication key, or {@code null}
 * @param retryOf the execution it retries, or {@code null}
 */
public record Submission(String task, ObjectNode params, TaskTrigger trigger, int priority, @Nullable Instant runAt,
		@Nullable Duration delay, @Nullable String key, @Nullable UUID retryOf) {

	public Submission {
		if (runAt != null && delay != null) {
			throw new IllegalArgumentException("Give either runAt or delay, not both");
		}
		if (delay != null && delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, got " + delay);
		}
		if (key != null && (key.isBlank() || key.length() > 200)) {
			throw new IllegalArgumentException("key must be 1 to 200 characters, got '" + key + "'");
		}
	}

	/**
	 * @param task the task name
	 * @param params the params
	 * @param trigger what submits it
	 * @return a submission due now, with default priority and no key
	 */
	public static Submission of(String task, ObjectNode params, TaskTrigger trigger) {
		return new Submission(task, params, trigger, 0, null, null, null, null);
	}

}
