package dev.backgroundtasks.execution;

import dev.backgroundtasks.ExecutionProgress;

/**
 * Writes the progress of running attempts. Callers coalesce: this is called a few times per second per
 * execution at most, never once per report.
 */
@FunctionalInterface
public interface ProgressStore {

	/**
	 * Writes the progress of an attempt, fenced on its claim like the outcome.
	 * @param claim the claim of the running attempt
	 * @param progress the progress to store
	 * @return whether the claim still held and the progress was written
	 */
	boolean write(ClaimedExecution claim, ExecutionProgress progress);

}
