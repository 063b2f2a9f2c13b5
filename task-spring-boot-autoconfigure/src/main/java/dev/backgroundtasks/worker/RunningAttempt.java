package dev.backgroundtasks.worker;

import dev.backgroundtasks.execution.ClaimedExecution;
import org.jspecify.annotations.Nullable;

/**
 * An attempt running on this node, and why it was asked to stop, if it was.
 */
final class RunningAttempt {

	/**
	 * Why an attempt was stopped before it ended by itself; decides the state it ends in.
	 */
	enum StopReason {

		/** It ran longer than its timeout: a failure, retried by the policy. */
		TIMEOUT,

		/** Someone cancelled it: it ends {@code CANCELLED}. */
		CANCEL,

		/** The node is shutting down: it goes back to {@code READY}, the attempt not counted. */
		HAND_BACK

	}

	private final ClaimedExecution claim;

	private final Thread thread;

	private volatile @Nullable StopReason stopReason;

	private boolean ended;

	RunningAttempt(ClaimedExecution claim, Thread thread) {
		this.claim = claim;
		this.thread = thread;
	}

	ClaimedExecution claim() {
		return this.claim;
	}

	@Nullable StopReason stopReason() {
		return this.stopReason;
	}

	/**
	 * Asks the attempt to stop: records the first reason and interrupts its thread.
	 */
	synchronized void stop(StopReason reason) {
		if (this.stopReason == null && !this.ended) {
			this.stopReason = reason;
			this.thread.interrupt();
		}
	}

	/**
	 * Marks the attempt's body as returned: no stop interrupts the thread after this, and an interrupt
	 * meant for the attempt is cleared, so the outcome is written (and the thread reused) without it. A
	 * thread interrupted inside a JDBC call can close an H2 database.
	 * @return why the attempt was stopped, or {@code null} if it ended by itself
	 */
	synchronized @Nullable StopReason end() {
		this.ended = true;
		Thread.interrupted();
		return this.stopReason;
	}

}
