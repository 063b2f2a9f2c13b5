package dev.backgroundtasks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of an execution: one run of it by a worker, from its claim to its end.
 *
 * @param attempt the attempt number, from 1: how many attempts the execution had used once this one
 * started. An attempt handed back at shutdown does not count, so the attempt after it has the same number
 * @param node the node that ran it, or {@code null} when that is not known
 * @param startedAt when it started (database time), or {@code null} when that is not known
 * @param finishedAt when it ended (database time): when its outcome was written, for a lost lease when the
 * loss was noticed; {@code null} while it runs
 * @param outcome how it ended, or {@link Outcome#RUNNING} while it runs
 * @param error the error it ended with, for {@link Outcome#FAILED}, {@link Outcome#TIMED_OUT} and
 * {@link Outcome#LEASE_EXPIRED}, and for {@link Outcome#CANCELLED} when it failed after its cancelling
 * was asked; otherwise {@code null}
 */
public record ExecutionAttempt(int attempt, @Nullable String node, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, Outcome outcome, @Nullable ExecutionError error) {

	/**
	 * How an attempt ended.
	 */
	public enum Outcome {

		/** It is running. */
		RUNNING,

		/** The task returned: the execution is {@link TaskStatus#SUCCESSFUL}. */
		SUCCEEDED,

		/** The task threw; with attempts left, another attempt followed. */
		FAILED,

		/** It ran longer than the task's timeout and was interrupted ({@link TaskTimeoutException}). */
		TIMED_OUT,

		/** It was stopped because cancelling was asked: the execution is {@link TaskStatus#CANCELLED}. */
		CANCELLED,

		/** Its node shut down before it finished and gave the execution back, without counting the attempt. */
		HANDED_BACK,

		/**
		 * The task asked to run again later ({@link TaskSnoozedException}): the execution was {@code READY}
		 * again after that delay, without counting the attempt.
		 */
		SNOOZED,

		/** Its node stopped heartbeating: another node recovered the execution once its lease expired. */
		LEASE_EXPIRED

	}

}
