package dev.backgroundtasks;

import org.jspecify.annotations.Nullable;

/**
 * The progress a running task last reported, as written to its execution.
 *
 * @param current the units of work done
 * @param total the units of work in all, or {@code null} when not known
 * @param fraction {@code current / total} between 0 and 1, or {@code null} when the total is not known
 * @param message the last message, or {@code null}
 */
public record ExecutionProgress(long current, @Nullable Long total, @Nullable Double fraction,
		@Nullable String message) {

	/**
	 * @param current the units of work done
	 * @param total the units of work in all, 0 or less when not known
	 * @param message the message, or {@code null}
	 * @return the progress, with its fraction computed and capped to 1
	 */
	public static ExecutionProgress of(long current, long total, @Nullable String message) {
		if (total <= 0) {
			return new ExecutionProgress(current, null, null, message);
		}
		double fraction = Math.max(0, Math.min(1, (double) current / total));
		return new ExecutionProgress(current, total, fraction, message);
	}

}
