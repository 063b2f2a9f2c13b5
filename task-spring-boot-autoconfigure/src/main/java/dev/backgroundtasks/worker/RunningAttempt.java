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
		HAND_BACK,

		/**
		 * This node could not extend its lease in time: another node may run it once the lease expires, so
		 * it stops, and this node writes no failure (its lease expiry counts the attempt).
		 */
		LEASE_LOST

	}

	private final ClaimedExecution claim;

	private final Thread thread;

	private volatile @Nullable StopReason stopReason;

	private volatile long stoppedAt;

	private volatile boolean reportedStuck;

	private boolean ended;

	RunningAttempt(ClaimedExecution claim, Thread thread) {
		this.claim = claim;
		this.thread = thread;
	}

	ClaimedExecution claim() {
		return this.claim;
	}

	Thread thread() {
		return this.thread;
	}

	@Nullable StopReason stopReason() {
		return this.stopReason;
	}

	/**
	 * @return when it was asked to stop ({@link System#nanoTime()}); only meaningful once it was
	 */
	long stoppedAt() {
		return this.stoppedAt;
	}

	/**
	 * Asks the attempt to stop: records the first reason and interrupts its thread.
	 * @return whether this call asked it (it was not asked before and still runs)
	 */
	synchronized boolean stop(StopReason reason) {
		if (this.stopReason == null && !this.ended) {
			this.stoppedAt = System.nanoTime();
			this.stopReason = reason;
			this.thread.interrupt();
			return true;
		}
		return false;
	}

	/**
	 * @return whether it was reported stuck
	 */
	boolean reportedStuck() {
		return this.reportedStuck;
	}

	/**
	 * @return whether this call marked it reported stuck (it was not before)
	 */
	synchronized boolean markReportedStuck() {
		if (this.reportedStuck || this.ended) {
			return false;
		}
		this.reportedStuck = true;
		return true;
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
