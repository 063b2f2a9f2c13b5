package dev.backgroundtasks;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a task to run again later without using an attempt: the execution goes back to
 * {@link TaskStatus#READY}, due after {@link #getDelay()}, and the next run has the same
 * {@link TaskContext#attempt()}. The execution counts its snoozes ({@link Execution#snoozes()}) and its
 * attempt history lists each one ({@link ExecutionAttempt.Outcome#SNOOZED}). Use it when the task cannot
 * make progress yet and that is no failure: a resource is busy, a rate limit of another system is
 * reached, a file has not arrived.
 * <p>
 * A snooze is not bounded by the retry policy: a task that snoozes forever runs forever. A cancel request
 * made while the attempt ran ends the execution {@code CANCELLED} instead.
 */
public class TaskSnoozedException extends BackgroundTaskException {

	private final Duration delay;

	/**
	 * @param delay how long from now the execution is due again; zero for at once
	 * @throws IllegalArgumentException when the delay is negative
	 */
	public TaskSnoozedException(Duration delay) {
		this(delay, null);
	}

	/**
	 * @param delay how long from now the execution is due again; zero for at once
	 * @param reason why, for the log and the attempt history; {@code null} for none
	 * @throws IllegalArgumentException when the delay is negative
	 */
	public TaskSnoozedException(Duration delay, @org.jspecify.annotations.Nullable String reason) {
		super("Snoozed for " + Objects.requireNonNull(delay, "delay") + ((reason != null) ? ": " + reason : ""));
		if (delay.isNegative()) {
			throw new IllegalArgumentException("A task cannot snooze for a negative duration: " + delay);
		}
		this.delay = delay;
	}

	/**
	 * @return how long from now the execution is due again
	 */
	public Duration getDelay() {
		return this.delay;
	}

}
