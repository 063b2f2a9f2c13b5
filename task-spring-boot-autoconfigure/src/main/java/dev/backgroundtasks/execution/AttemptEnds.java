package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

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
		return unlessCancelRequested(claim, TaskStatus.FAILED, (lastSeq) -> this.jdbc.update("UPDATE bgt_execution SET "
				+ FAIL.set() + SET_ERROR + ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + FENCE,
				errorArgs(error, claim.id(), claim.node(), claim.attempt())), SET_ERROR, errorArgs(error));
	}

	/**
	 * @see ExecutionStore#retry
	 */
	@Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			List<Object> args = new ArrayList<>(List.of(delay.toMillis()));
			args.addAll(List.of(errorArgs(error, claim.id(), claim.node(), claim.attempt())));
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE + RELEASE + SET_ERROR
					+ FENCE, args.toArray());
			// The error is copied from the row just written: the stack trace is sent once.
			this.pastAttempts.add(claim, lastSeq, AttemptHistory.failure(error.type()),
					PastAttempts.ERROR_OF_EXECUTION);
		}, SET_ERROR, errorArgs(error));
	}

	/**
	 * @see ExecutionStore#cancelled
	 */
	boolean cancelled(ClaimedExecution claim) {
		return this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + CLEAR_ERROR + FENCE, claim.id(), claim.node(), claim.attempt()) == 1;
	}

	/**
	 * @param started whether the attempt started: only then is it kept as a past attempt
	 * @see ExecutionStore#handBack
	 * @see ExecutionStore#handBackUnstarted
	 */
	@Nullable TaskStatus handBack(ClaimedExecution claim, boolean started) {
		return unlessCancelRequested(claim, TaskStatus.READY, (lastSeq) -> {
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", attempt = attempt - 1" + RELEASE + FENCE,
					claim.id(), claim.node(), claim.attempt());
			if (started) {
				this.pastAttempts.add(claim, lastSeq, Outcome.HANDED_BACK, PastAttempts.NO_ERROR);
			}
		}, CLEAR_ERROR);
	}

	/**
	 * Ends an attempt of a held execution with the given update, which moves it to {@code status}, unless
	 * its cancelling was asked: then it ends {@code CANCELLED}, with the given extra assignments, keeping
	 * its node (the attempt stays the execution's last). The row stays locked from reading the flag until
	 * it is moved, so a cancel request either comes first and is seen, or waits and finds the execution no
	 * longer running.
	 * @param update moves the execution, given the {@link PastAttempts#LAST_SEQ} of the execution
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	private @Nullable TaskStatus unlessCancelRequested(ClaimedExecution claim, TaskStatus status, IntConsumer update,
			String cancelledSet, Object... cancelledArgs) {
		return this.transactions.execute((transaction) -> {
			List<Held> held = this.jdbc.query(HELD, (rs, row) -> new Held(rs.getBoolean(1), rs.getInt(2)), claim.id(),
					claim.node(), claim.attempt());
			if (held.isEmpty()) {
				return null;
			}
			if (held.get(0).cancelRequested()) {
				List<Object> args = new ArrayList<>(List.of(cancelledArgs));
				args.addAll(List.of(claim.id(), claim.node(), claim.attempt()));
				this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
						+ " lease_until = NULL" + cancelledSet + FENCE, args.toArray());
				return TaskStatus.CANCELLED;
			}
			update.accept(held.get(0).lastSeq());
			return status;
		});
	}

	private static Object[] errorArgs(ExecutionError error, Object... fence) {
		List<Object> args = new ArrayList<>();
		args.add(truncate(error.type(), MAX_ERROR_TYPE));
		args.add(error.message());
		args.add(truncate(error.stackTrace(), MAX_STACK_TRACE));
		args.addAll(List.of(fence));
		return args.toArray();
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
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
