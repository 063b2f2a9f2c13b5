package dev.backgroundtasks.execution;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionOperations;

import static dev.backgroundtasks.execution.ExecutionStatements.AGO;
import static dev.backgroundtasks.execution.ExecutionStatements.CLAIM;
import static dev.backgroundtasks.execution.ExecutionStatements.CLAIMED_COLUMNS;
import static dev.backgroundtasks.execution.ExecutionStatements.CLAIM_SET;
import static dev.backgroundtasks.execution.ExecutionStatements.FENCE;
import static dev.backgroundtasks.execution.ExecutionStatements.LEASE;
import static dev.backgroundtasks.execution.ExecutionStatements.SUCCEED;
import static dev.backgroundtasks.execution.ExecutionStatements.SUCCEED_SET;

/**
 * The {@link ExecutionStore} on plain JDBC: the hot path (insert, claim, outcome, heartbeat) stays a
 * handful of short statements. Through {@link JdbcTemplate} every statement joins the caller's Spring
 * transaction when there is one. The batch claim differs per database and comes from a
 * {@link DatabaseDialect}; tasks with a concurrency limit are claimed under a per-task row lock.
 */
public class JdbcExecutionStore implements ExecutionStore {

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final Transition CANCEL = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.CANCELLED);

	private static final String RELEASE = ", node = NULL, lease_until = NULL";

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private static final int MAX_STACK_TRACE = 64 * 1024;

	private static final int MAX_ERROR_TYPE = 500;

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	private final ExecutionInserts inserts;

	private final LimitedTaskClaims limitedClaims;

	private final LeaseRecovery leaseRecovery;

	private final TransactionOperations ownTransactions;

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions the application's transactions, which a batch submit joins when the caller has
	 * one
	 * @param ownTransactions transactions the worker starts for itself (claims of limited tasks, lease
	 * recovery), never inside another: plain JDBC ones need no ORM session
	 * @param limitedTasksKnown whether this node knows a task with a concurrency limit, asked per claim:
	 * while it knows none, claims look for limited executions (stored under other nodes' settings) once a
	 * second only, instead of with a statement of their own on every claim
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions,
			TransactionOperations ownTransactions, BooleanSupplier limitedTasksKnown) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.inserts = new ExecutionInserts(jdbc, dialect, transactions);
		this.limitedClaims = new LimitedTaskClaims(jdbc, ownTransactions, limitedTasksKnown);
		this.leaseRecovery = new LeaseRecovery(jdbc, ownTransactions);
		this.ownTransactions = ownTransactions;
	}

	@Override
	public UUID insert(NewExecution execution) {
		return this.inserts.insert(execution);
	}

	@Override
	public boolean insertScheduled(NewExecution execution) {
		return this.inserts.insertScheduled(execution);
	}

	@Override
	public ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease) {
		return this.inserts.insertClaimed(execution, node, lease);
	}

	@Override
	public void insertAll(List<NewExecution> executions) {
		this.inserts.insertAll(executions);
	}

	@Override
	public List<ClaimedExecution> claim(String node, int limit, Duration lease) {
		if (limit <= 0) {
			return List.of();
		}
		List<ClaimedExecution> claimed = new ArrayList<>(this.limitedClaims.claim(node, limit, lease));
		if (claimed.size() < limit) {
			claimed.addAll(this.dialect.claim(this.jdbc, node, limit - claimed.size(), lease));
		}
		return claimed;
	}

	@Override
	public @Nullable ClaimedExecution claim(UUID id, String node, Duration lease) {
		if (this.jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id = ? AND " + CLAIM.guardById(), node,
				lease.toMillis(), id) == 0) {
			return null;
		}
		return this.jdbc.queryForObject("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE id = ?", ExecutionStatements.claimed(node),
				id);
	}

	@Override
	public boolean complete(ClaimedExecution claim, @Nullable String result) {
		return this.jdbc.update("UPDATE bgt_execution SET " + SUCCEED_SET + ", result = ?" + FENCE, result, claim.id(),
				claim.node(), claim.attempt()) == 1;
	}

	@Override
	public Set<UUID> completeAll(List<Completion> completions) {
		if (completions.isEmpty()) {
			return Set.of();
		}
		return this.dialect.completeAll(this.jdbc, completions);
	}

	@Override
	public @Nullable TaskStatus fail(ClaimedExecution claim, ExecutionError error) {
		String setError = ", error_type = ?, error_message = ?, error_stack_trace = ?";
		return unlessCancelRequested(claim, TaskStatus.FAILED, () -> this.jdbc.update("UPDATE bgt_execution SET "
				+ FAIL.set() + setError + ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + FENCE,
				errorArgs(error, claim.id(), claim.node(), claim.attempt())), setError, errorArgs(error));
	}

	@Override
	public @Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		String setError = ", error_type = ?, error_message = ?, error_stack_trace = ?";
		return unlessCancelRequested(claim, TaskStatus.READY, () -> {
			List<Object> args = new ArrayList<>(List.of(delay.toMillis()));
			args.addAll(List.of(errorArgs(error, claim.id(), claim.node(), claim.attempt())));
			this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE + RELEASE + setError
					+ FENCE, args.toArray());
		}, setError, errorArgs(error));
	}

	@Override
	public boolean cancelled(ClaimedExecution claim) {
		return this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + FENCE, claim.id(), claim.node(), claim.attempt()) == 1;
	}

	@Override
	public @Nullable TaskStatus handBack(ClaimedExecution claim) {
		return unlessCancelRequested(claim, TaskStatus.READY, () -> this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set()
				+ ", attempt = attempt - 1" + RELEASE + FENCE, claim.id(), claim.node(), claim.attempt()), "");
	}

	/**
	 * Ends an attempt of a held execution with the given update, which moves it to {@code status}, unless
	 * its cancelling was asked: then it ends {@code CANCELLED}, with the given extra assignments. The row
	 * stays locked from reading the flag until it is moved, so a cancel request either comes first and is
	 * seen, or waits and finds the execution no longer running.
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	private @Nullable TaskStatus unlessCancelRequested(ClaimedExecution claim, TaskStatus status, Runnable update,
			String cancelledSet, Object... cancelledArgs) {
		return this.ownTransactions.execute((transaction) -> {
			List<Boolean> held = this.jdbc.queryForList("SELECT cancel_requested FROM bgt_execution" + FENCE
					+ " FOR UPDATE", Boolean.class, claim.id(), claim.node(), claim.attempt());
			if (held.isEmpty()) {
				return null;
			}
			if (Boolean.TRUE.equals(held.get(0))) {
				List<Object> args = new ArrayList<>(List.of(cancelledArgs));
				args.addAll(List.of(claim.id(), claim.node(), claim.attempt()));
				this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP"
						+ RELEASE + cancelledSet + FENCE, args.toArray());
				return TaskStatus.CANCELLED;
			}
			update.run();
			return status;
		});
	}

	@Override
	public boolean cancel(UUID id, @Nullable String by) {
		return this.jdbc.update("UPDATE bgt_execution SET " + CANCEL.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " cancelled_by = ? WHERE id = ? AND " + CANCEL.guardById(), by, id) == 1;
	}

	@Override
	public boolean requestCancel(UUID id, @Nullable String by) {
		return this.jdbc.update("UPDATE bgt_execution SET cancel_requested = TRUE, cancelled_by = ? WHERE id = ? AND "
				+ STOP.guardById(), by, id) == 1;
	}

	@Override
	public int extendLeases(String node, Collection<UUID> ids, Duration lease) {
		int extended = 0;
		List<UUID> all = List.copyOf(ids);
		for (int from = 0; from < all.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_STATEMENT));
			extended += this.dialect.extendLeases(this.jdbc, node, chunk, lease);
		}
		return extended;
	}

	@Override
	public Set<UUID> cancelRequested(String node) {
		return new HashSet<>(this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE node = ? AND "
				+ SUCCEED.guard() + " AND cancel_requested", UUID.class, node));
	}

	@Override
	public List<RecoveredExecution> recoverExpiredLeases() {
		return this.leaseRecovery.recover();
	}

	@Override
	public int deleteFinished(TaskStatus status, Duration age, int limit) {
		if (!status.isTerminal()) {
			throw new IllegalArgumentException("Only finished executions are deleted, not " + status);
		}
		return this.jdbc.update("DELETE FROM bgt_execution WHERE id IN (SELECT e.id FROM bgt_execution e"
				+ " WHERE e.status = ? AND e.finished_at < " + AGO + " AND (e.schedule_id IS NULL"
				+ " OR EXISTS (SELECT 1 FROM bgt_execution n WHERE n.task_name = e.task_name"
				+ " AND n.schedule_id = e.schedule_id AND n.fire_time > e.fire_time)) FETCH FIRST ? ROWS ONLY)",
				status.name(), age.toMillis(), limit);
	}

	@Override
	public @Nullable TaskStatus status(UUID id) {
		List<String> found = this.jdbc.queryForList("SELECT status FROM bgt_execution WHERE id = ?", String.class, id);
		return found.isEmpty() ? null : TaskStatus.valueOf(found.get(0));
	}

	@Override
	public long countReady() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE " + CLAIM.guard(), Long.class);
		return (count != null) ? count : 0;
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

}
