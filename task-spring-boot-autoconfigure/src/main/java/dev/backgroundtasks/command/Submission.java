package dev.backgroundtasks.command;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
		@Nullable Duration delay, @Nullable String key, @Nullable UUID retryOf, List<UUID> after) {

	/** Earliest {@code runAt}: what every supported database stores and reads back as the same instant. */
	public static final Instant MIN_RUN_AT = Instant.parse("1970-01-01T00:00:00Z");

	/** First instant past the latest {@code runAt}: the end of year 9999 (UTC). */
	public static final Instant RUN_AT_LIMIT = Instant.parse("+10000-01-01T00:00:00Z");

	/** Longest {@code delay}; added to the database's clock, it stays far below {@link #RUN_AT_LIMIT}. */
	public static final Duration MAX_DELAY = Duration.ofDays(36_500);

	/** Longest {@code key}, in UTF-16 code units: the column's length on every supported database. */
	public static final int MAX_KEY_LENGTH = 200;

	/** The most executions one submission may wait for. */
	public static final int MAX_AFTER = 100;

	/**
	 * A submission that waits for no other execution.
	 * @param task the task name
	 * @param params the params
	 * @param trigger what submits it
	 * @param priority the priority
	 * @param runAt when it is due, or {@code null}
	 * @param delay how long after now it is due, or {@code null}
	 * @param key the deduplication key, or {@code null}
	 * @param retryOf the execution it retries, or {@code null}
	 */
	public Submission(String task, ObjectNode params, TaskTrigger trigger, int priority, @Nullable Instant runAt,
			@Nullable Duration delay, @Nullable String key, @Nullable UUID retryOf) {
		this(task, params, trigger, priority, runAt, delay, key, retryOf, List.of());
	}

	public Submission {
		after = List.copyOf(new LinkedHashSet<>(after));
		if (after.size() > MAX_AFTER) {
			throw new IllegalArgumentException("after may name at most " + MAX_AFTER + " executions, got "
					+ after.size());
		}
		if (!after.isEmpty() && key != null) {
			throw new IllegalArgumentException("Give either after or key, not both: an execution that waits for"
					+ " others cannot have a deduplication key");
		}
		if (runAt != null && delay != null) {
			throw new IllegalArgumentException("Give either runAt or delay, not both");
		}
		if (runAt != null && (runAt.isBefore(MIN_RUN_AT) || !runAt.isBefore(RUN_AT_LIMIT))) {
			throw new IllegalArgumentException("runAt must be in the years 1970 to 9999 (UTC), got " + runAt);
		}
		if (delay != null && (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0)) {
			throw new IllegalArgumentException("delay must be between 0 and " + MAX_DELAY.toDays() + " days ("
					+ MAX_DELAY + "), got " + delay);
		}
		if (key != null) {
			checkKey(key);
		}
	}

	/**
	 * Checks what every supported database stores unchanged: PostgreSQL rejects NUL, and an unpaired
	 * surrogate would be stored as {@code ?} there, as itself on H2.
	 */
	private static void checkKey(String key) {
		if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("key must be 1 to " + MAX_KEY_LENGTH + " characters, not blank, got "
					+ (key.isBlank() ? "'" + key + "'" : key.length() + " characters"));
		}
		for (int i = 0; i < key.length();) {
			int codePoint = key.codePointAt(i);
			if (codePoint == 0) {
				throw new IllegalArgumentException("key must not contain the NUL character (U+0000), found at index " + i);
			}
			if (Character.getType(codePoint) == Character.SURROGATE) {
				throw new IllegalArgumentException("key must be valid Unicode, found an unpaired surrogate (U+"
						+ Integer.toHexString(codePoint).toUpperCase(Locale.ROOT) + ") at index " + i);
			}
			i += Character.charCount(codePoint);
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
