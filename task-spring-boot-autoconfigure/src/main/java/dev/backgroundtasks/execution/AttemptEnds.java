package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static dev.backgroundtasks.execution.ExecutionStatements.FENCE;
import static dev.backgroundtasks.execution.ExecutionStatements.LEASE;

/**
 * The ends of attempts other than success, each fenced on the claim: the final failure, a retry, a stop on
 * request and a hand-back. Those that may leave the execution to run again read its cancel flag under a
 * row lock first, so that a cancel request is never lost with the attempt; a retry and a hand-back of a
 * started attempt record it as a past attempt ({@link PastAttempts}) in the same transaction.
 */
final class AttemptEnds {

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final String RELEASE = ", node = NULL, lease_until = NULL";

	private static final String SET_ERROR = ", error_type = ?, error_message = ?, error_stack_trace = ?";

	/**
	 * Clears the error an earlier attempt left in the row, when the current attempt ends without one.
	 */
	private static final String CLEAR_ERROR = ", error_type = NULL, error_message = NULL, error_stack_trace = NULL";

	/**
	 * Locks a held execution's row and reads its cancel flag and the newest of its past attempts.
	 */
	private static final String HELD = "SELECT cancel_requested, " + PastAttempts.LAST_SEQ + " FROM bgt_execution"
			+ FENCE + " FOR UPDATE";

	private static final int MAX_STACK_TRACE = 64 * 1024;

	private static final int MAX_ERROR_TYPE = 500;

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final PastAttempts pastAttempts;

	/**
	 * @param jdbc the template
	 * @param transactions transactions of its own, never inside another: each end locks the row
	 */
	AttemptEnds(JdbcTemplate jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.pastAttempts = new PastAttempts(jdbc);
	}

	/**
	 * @see ExecutionStore#fail
	 */
	@Nullable TaskStatus fail(ClaimedExecution claim, ExecutionError error) {
		return unlessCancelRequested(claim, TaskStatus.FAILED, (lastSeq) -> {
			this.jdbc.update("UPDATE bgt_execution SET " + FAIL.set() + SET_ERROR
					+ ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + FENCE,
					ExecutionStatements.fenced(claim, errorArgs(error)));
			return TaskStatus.FAILED;
		}, SET_ERROR, errorArgs(error));
	}

	/**
	 * @see ExecutionStore#retry
	 */
	@Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			List<Object> args = new ArrayList<>(List.of(delay.toMillis()));
			args.addAll(Arrays.asList(errorArgs(error)));
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE + RELEASE + SET_ERROR
					+ FENCE, ExecutionStatements.fenced(claim, args.toArray()));
			// The error is copied from the row just written: the stack trace is sent once.
			this.pastAttempts.add(claim, lastSeq, AttemptHistory.failure(error.type()),
					PastAttempts.ERROR_OF_EXECUTION);
			return TaskStatus.READY;
		}, SET_ERROR, errorArgs(error));
	}

	/**
	 * @see ExecutionStore#snooze
	 */
	@Nullable TaskStatus snooze(ClaimedExecution claim, Duration delay) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			// Like a hand-back, the attempt number stays; the error of an earlier attempt, if any, is kept.
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE
					+ ", reuse_attempt = TRUE, snoozes = snoozes + 1" + RELEASE + FENCE,
					ExecutionStatements.fenced(claim, delay.toMillis()));
			this.pastAttempts.add(claim, lastSeq, Outcome.SNOOZED, PastAttempts.NO_ERROR);
			return TaskStatus.READY;
		}, CLEAR_ERROR);
	}

	/**
	 * @see ExecutionStore#cancelled
	 */
	boolean cancelled(ClaimedExecution claim) {
		return this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + CLEAR_ERROR + FENCE, ExecutionStatements.fenced(claim)) == 1
				|| TaskStatus.CANCELLED.equals(writtenBefore(claim, Set.of(TaskStatus.CANCELLED)));
	}

	/**
	 * @see ExecutionStore#handBackUnbound
	 */
	@Nullable TaskStatus handBackUnbound(ClaimedExecution claim, ExecutionError error, Duration delay, Duration grace) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			// The first node that could not bind it started the grace; once it is over, the execution fails.
			List<Object> failArgs = new ArrayList<>(Arrays.asList(ExecutionStatements.fenced(claim,
					errorArgs(gaveUp(error, grace)))));
			failArgs.add(grace.toMillis());
			if (this.jdbc.update("UPDATE bgt_execution SET " + FAIL.set() + SET_ERROR
					+ ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + FENCE
					+ " AND unbound_since IS NOT NULL AND unbound_since <= " + ExecutionStatements.AGO,
					failArgs.toArray()) == 1) {
				return TaskStatus.FAILED;
			}
			List<Object> args = new ArrayList<>(List.of(delay.toMillis()));
			args.addAll(Arrays.asList(errorArgs(error)));
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE + ", reuse_attempt = TRUE,"
					+ " unbound_since = COALESCE(unbound_since, CURRENT_TIMESTAMP)" + RELEASE + SET_ERROR + FENCE,
					ExecutionStatements.fenced(claim, args.toArray()));
			this.pastAttempts.add(claim, lastSeq, Outcome.HANDED_BACK, PastAttempts.ERROR_OF_EXECUTION);
			return TaskStatus.READY;
		}, SET_ERROR, errorArgs(error));
	}

	private static ExecutionError gaveUp(ExecutionError error, Duration grace) {
		return new ExecutionError(error.type(), "No node could bind the params within background-tasks.worker."
				+ "unbound-params-grace=" + grace + ": " + error.message(), error.stackTrace());
	}

	/**
	 * @param started whether the attempt started: only then is it kept as a past attempt
	 * @see ExecutionStore#handBack
	 * @see ExecutionStore#handBackUnstarted
	 */
	@Nullable TaskStatus handBack(ClaimedExecution claim, boolean started) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			// The attempt number stays: the next claim runs under it again instead of a new one.
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", reuse_attempt = TRUE" + RELEASE + FENCE,
					ExecutionStatements.fenced(claim));
			if (started) {
				this.pastAttempts.add(claim, lastSeq, Outcome.HANDED_BACK, PastAttempts.NO_ERROR);
			}
			return TaskStatus.READY;
		}, CLEAR_ERROR);
	}

	/**
	 * Ends an attempt of a held execution with the given update, which moves it to {@code status} (or tells
	 * where it moved it), unless
	 * its cancelling was asked: then it ends {@code CANCELLED}, with the given extra assignments, keeping
	 * its node (the attempt stays the execution's last). The row stays locked from reading the flag until
	 * it is moved, so a cancel request either comes first and is seen, or waits and finds the execution no
	 * longer running.
	 * @param update moves the execution, given the {@link PastAttempts#LAST_SEQ} of the execution
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	private @Nullable TaskStatus unlessCancelRequested(ClaimedExecution claim, TaskStatus status, End update,
			String cancelledSet, Object... cancelledArgs) {
		return this.transactions.execute((transaction) -> {
			List<Held> held = this.jdbc.query(HELD, (rs, row) -> new Held(rs.getBoolean(1), rs.getInt(2)),
					ExecutionStatements.fenced(claim));
			if (held.isEmpty()) {
				return writtenBefore(claim, Set.of(status, TaskStatus.CANCELLED));
			}
			if (held.get(0).cancelRequested()) {
				this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
						+ " lease_until = NULL" + cancelledSet + FENCE, ExecutionStatements.fenced(claim, cancelledArgs));
				return TaskStatus.CANCELLED;
			}
			return update.apply(held.get(0).lastSeq());
		});
	}

	/**
	 * Finds the end of an attempt that this claim already wrote: a write whose commit succeeded but whose
	 * reply was lost (a dropped connection), tried again. The claim token is the claim's own until the next
	 * claim, and lease recovery, the only other writer of an attempt's end, leaves its own error type (a
	 * recovery that cancels, when the lease expired while cancelling was asked, ends the same way).
	 * @param claim the claim
	 * @param statuses the states the write moves the execution to
	 * @return the state the claim's earlier write left, or {@code null} when it wrote none
	 */
	@Nullable TaskStatus writtenBefore(ClaimedExecution claim, Set<TaskStatus> statuses) {
		List<TaskStatus> found = this.jdbc.query("SELECT status FROM bgt_execution WHERE id = ? AND claim_token = ?"
				+ " AND (node = ? OR node IS NULL) AND (error_type IS NULL OR error_type <> '"
				+ LeaseRecovery.LEASE_EXPIRED + "')", (rs, row) -> TaskStatus.valueOf(rs.getString(1)), claim.id(),
				claim.claimToken(), claim.node());
		return (!found.isEmpty() && statuses.contains(found.get(0))) ? found.get(0) : null;
	}

	private static Object[] errorArgs(ExecutionError error) {
		return new Object[] { truncate(error.type(), MAX_ERROR_TYPE), error.message(),
				truncate(error.stackTrace(), MAX_STACK_TRACE) };
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

	/**
	 * Moves a held execution whose row is locked and not asked to cancel.
	 */
	@FunctionalInterface
	private interface End {

		/**
		 * @param lastSeq the {@link PastAttempts#LAST_SEQ} of the execution
		 * @return the state it moved the execution to
		 */
		TaskStatus apply(int lastSeq);

	}

	/**
	 * What the lock of a held execution's row reads.
	 *
	 * @param cancelRequested whether its cancelling was asked
	 * @param lastSeq the {@link PastAttempts#LAST_SEQ} of the execution
	 */
	private record Held(boolean cancelRequested, int lastSeq) {
	}

}
