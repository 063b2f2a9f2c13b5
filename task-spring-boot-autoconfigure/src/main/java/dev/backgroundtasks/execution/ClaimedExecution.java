package dev.backgroundtasks.execution;

import java.util.UUID;

/**
 * An execution a node has claimed: what it needs to run it and to fence the write of its outcome.
 *
 * @param id the execution id
 * @param task the task name
 * @param params the params as JSON text
 * @param attempt the attempt number this claim started; part of the fence
 * @param node the node that holds the claim; part of the fence
 * @param maxAttempts how many attempts the execution may make in all
 */
public record ClaimedExecution(UUID id, String task, String params, int attempt, String node, int maxAttempts) {

	/**
	 * @return whether a failure of this attempt may be retried
	 */
	public boolean hasAttemptsLeft() {
		return this.attempt < this.maxAttempts;
	}

}
