package dev.backgroundtasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Builds one submission of a task; from {@link TaskClient#task(String)}.
 */
public interface TaskSubmission {

	/**
	 * @param name a parameter name
	 * @param value its value, converted to JSON with the application's mapper
	 * @return this submission
	 */
	TaskSubmission param(String name, @Nullable Object value);

	/**
	 * @param params params by name, added to those already set
	 * @return this submission
	 */
	TaskSubmission params(Map<String, ?> params);

	/**
	 * @param runAt when the execution becomes due, in the years 1970 to 9999 (UTC); not together with
	 * {@link #delay}
	 * @return this submission
	 */
	TaskSubmission runAt(Instant runAt);

	/**
	 * @param delay how long after submission (database time) the execution becomes due, from zero to
	 * 36,500 days; not together with {@link #runAt}
	 * @return this submission
	 */
	TaskSubmission delay(Duration delay);

	/**
	 * @param priority higher runs first among due executions; default 0
	 * @return this submission
	 */
	TaskSubmission priority(int priority);

	/**
	 * @param key a deduplication key: while an execution of the task with this key is READY or RUNNING,
	 * submitting again returns that execution instead of a new one, across all nodes; 1 to 200 UTF-16
	 * characters, not blank, valid Unicode (no unpaired surrogate) without NUL
	 * @return this submission
	 */
	TaskSubmission key(String key);

	/**
	 * Makes the execution wait for others: it is stored {@link TaskStatus#WAITING} and becomes
	 * {@code READY} (due at its {@link #runAt}/{@link #delay}, or now if that passed) once every one of them
	 * is {@code SUCCESSFUL}; once one of them fails or is cancelled, it ends {@code CANCELLED} with a
	 * {@link DependencyFailedException} error naming that one (and those waiting for it follow). It starts
	 * {@code READY} or {@code CANCELLED} at once when they decided it already. Waiting costs no polling:
	 * the end of each execution it waits for releases it. Calls add up; at most 100 ids; not together with
	 * {@link #key}.
	 * @param executionIds ids of stored executions
	 * @return this submission
	 */
	TaskSubmission after(UUID... executionIds);

	/**
	 * Validates and stores the execution; inside a Spring transaction it commits or rolls back with it.
	 * @return a handle on the stored execution, or on the active one holding the same key
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException when the params do not fit the task
	 * @throws QueueFullException when the queue is at capacity
	 * @throws IllegalArgumentException when {@code runAt}, {@code delay} or {@code key} is out of its range
	 * (the message names it), or both {@code runAt} and {@code delay} are given, or {@code after} names an
	 * execution that does not exist (the message names its id); nothing is stored
	 */
	TaskHandle submit();

}
