package dev.backgroundtasks.command;

import java.time.Duration;

import dev.backgroundtasks.execution.ClaimedExecution;

/**
 * Starts executions submitted on this node at once, on an idle worker thread, without waiting for the
 * worker to claim them: the submission stores the execution already claimed for this node and hands it
 * to the thread it reserved. Saves the claim round trip and a thread hand-over on the way to the start.
 */
public interface LocalStart {

	/**
	 * Reserves an idle worker thread; every successful reservation is followed by {@link #start} or
	 * {@link #release}.
	 * @return whether a thread was idle and is now reserved
	 */
	boolean reserve();

	/**
	 * Runs a stored, claimed execution on the reserved thread.
	 * @param claim the claim
	 */
	void start(ClaimedExecution claim);

	/**
	 * Gives back a reservation that was not used.
	 */
	void release();

	/**
	 * @return the node that claims
	 */
	String node();

	/**
	 * @return the lease every claim takes
	 */
	Duration lease();

}
