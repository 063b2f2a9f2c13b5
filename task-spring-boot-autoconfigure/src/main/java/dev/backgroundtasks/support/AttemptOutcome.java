package dev.backgroundtasks.support;

/**
 * How one attempt of an execution ended on this node, as recorded.
 */
public enum AttemptOutcome {

	/** The task returned; the execution is {@code SUCCESSFUL}. */
	SUCCESS(true),

	/** The task failed with no retry left (or one that is never retried); the execution is {@code FAILED}. */
	FAILURE(true),

	/** The attempt ran past its timeout with no retry left; the execution is {@code FAILED}. */
	TIMEOUT(true),

	/** The attempt stopped on a cancel request; the execution is {@code CANCELLED}. */
	CANCELLED(true),

	/** The attempt failed or timed out and another one is scheduled; the execution is {@code READY}. */
	RETRY(false),

	/** The node shut down during the attempt and gave the execution back, the attempt not counted. */
	HANDED_BACK(false),

	/**
	 * The task snoozed ({@link dev.backgroundtasks.TaskSnoozedException}): the execution is {@code READY}
	 * again after the delay it asked for, the attempt not counted.
	 */
	SNOOZED(false),

	/**
	 * The outcome was not written: the claim no longer held (its lease expired and another node
	 * recovered it), or the store could not be reached.
	 */
	LOST(false);

	private final boolean terminal;

	AttemptOutcome(boolean terminal) {
		this.terminal = terminal;
	}

	/**
	 * @return whether the execution ended with this attempt (one of success, failure, timeout,
	 * cancelled)
	 */
	public boolean isTerminal() {
		return this.terminal;
	}

}
