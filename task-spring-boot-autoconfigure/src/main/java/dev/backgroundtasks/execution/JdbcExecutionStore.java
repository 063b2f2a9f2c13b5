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

/**
 * The {@link ExecutionStore} on plain JDBC: the hot path (insert, claim, outcome, heartbeat) stays a
 * handful of short statements. Through {@link JdbcTemplate} every statement joins the caller's Spring
 * transaction when there is one. The batch claim differs per database and comes from a
 * {@link StoreDialect}; tasks with a concurrency limit are claimed under a per-task row lock.
 */
public class JdbcExecutionStore implements ExecutionStore {

	static final Transition CLAIM = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.RUNNING);

	static final Transition SUCCEED = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.SUCCESSFUL);

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final Transition CANCEL = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.CANCELLED);

	static final String LEASE = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	private static final String AGO = "CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	static final String CLAIM_SET = CLAIM.set() + ", node = ?, attempt = attempt + 1, started_at = CURRENT_TIMESTAMP,"
			+ " lease_until = " + LEASE + ", cancel_requested = FALSE";

	static final String DUE = CLAIM.guard() + " AND run_at <= CURRENT_TIMESTAMP";

	static final String RUNNING_GUARD = SUCCEED.guard();

	static final String SUCCEED_SET = SUCCEED.set() + ", error_type = NULL, error_message = NULL,"
			+ " error_stack_trace = NULL, finished_at = CURRENT_TIMESTAMP, lease_until = NULL";

	static final String DUE_UNLIMITED = DUE + " AND max_concurrency = 0";

	static final String CLAIMED_COLUMNS = "id, task_name, params, attempt, max_attempts, created_at, run_at, started_at,"
			+ " fire_time, trace_context";

	static final String FENCE = " WHERE id = ? AND " + SUCCEED.guardById() + " AND node = ? AND attempt = ?";

	private static final String RELEASE = ", node = NULL, lease_until = NULL";

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private static final int MAX_STACK_TRACE = 64 * 1024;

	private static final int MAX_ERROR_TYPE = 500;

	private final JdbcTemplate jdbc;

	private final StoreDialect dialect;

	private final TransactionOperations transactions;

	private final LimitedTaskClaims limitedClaims;

	private final LeaseRecovery leaseRecovery;

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions transactions for everything: a batch submit, claims of limited tasks, lease
	 * recovery
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, StoreDialect dialect, TransactionOperations transactions) {
		this(jdbc, dialect, transactions, transactions);
	}

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions the application's transactions, which a batch submit joins when the caller has
	 * one
	 * @param ownTransactions transactions the worker starts for itself (claims of limited tasks, lease
	 * recovery), never inside another: plain JDBC ones need no ORM session
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, StoreDialect dialect, TransactionOperations transactions,
			TransactionOperations ownTransactions) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
		this.limitedClaims = new LimitedTaskClaims(jdbc, ownTransactions);
		this.leaseRecovery = new LeaseRecovery(jdbc, ownTransactions);
	}

	/**
	 * Tells claims whether this node knows a task with a concurrency limit; while it knows none, claims
	 * look for limited executions (stored under other nodes' settings) once a second only, instead of
	 * with a statement of their own on every claim.
	 * @param limitedTasksKnown whether any task of this node has a concurrency limit, asked per claim
	 */
	public void setLimitedTasksKnown(BooleanSupplier limitedTasksKnown) {
		this.limitedClaims.setLimitedTasksKnown(limitedTasksKnown);
	}

	@Override
	public UUID insert(NewExecution execution) {
		String runAt = (execution.runAt() != null) ? "?"
				: (execution.delay() != null) ? LEASE : "CURRENT_TIMESTAMP";
		Object due = (execution.runAt() != null) ? Timestamp.from(execution.runAt())
				: (execution.delay() != null) ? execution.delay().toMillis() : null;
		List<Object> args = new ArrayList<>(List.of(execution.id(), execution.task(), execution.trigger().name(),
				execution.params(), execution.maxAttempts(), execution.maxConcurrency(), execution.priority()));
		args.add(execution.key());
		args.add(execution.retryOf());
		args.add(execution.traceContext());
		if (due != null) {
			args.add(due);
		}
		String sql = "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, max_attempts,"
				+ " max_concurrency, priority, dedup_key, retry_of, trace_context, created_at, run_at) VALUES (?, ?, '"
				+ TaskStatus.READY.name() + "', ?, ?, 0, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, " + runAt + ")";
		try {
			if (this.jdbc.update(sql + this.dialect.onActiveKeyConflict(), args.toArray()) == 1) {
				return execution.id();
			}
		}
		catch (DuplicateKeyException ex) {
			if (execution.key() == null) {
				throw ex;
			}
		}
		List<UUID> active = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE task_name = ? AND dedup_key = ?"
				+ " AND status IN ('READY', 'RUNNING')", UUID.class, execution.task(), execution.key());
		// The holder of the key finished in between: the key is free again.
		return active.isEmpty() ? insert(execution) : active.get(0);
	}

	@Override
	public ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease) {
		if (execution.key() != null || execution.runAt() != null || execution.delay() != null
				|| execution.maxConcurrency() > 0) {
			throw new IllegalArgumentException("Only executions due now without key or limit are stored claimed");
		}
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, max_attempts,"
				+ " max_concurrency, priority, retry_of, trace_context, node, created_at, run_at, started_at, lease_until)"
				+ " VALUES (?, ?, '" + CLAIM.to().name() + "', ?, ?, 1, ?, 0, ?, ?, ?, ?, CURRENT_TIMESTAMP,"
				+ " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, " + LEASE + ")", execution.id(), execution.task(),
				execution.trigger().name(), execution.params(), execution.maxAttempts(), execution.priority(),
				execution.retryOf(), execution.traceContext(), node, lease.toMillis());
		Instant now = Instant.now();
		return new ClaimedExecution(execution.id(), execution.task(), execution.params(), 1, node,
				execution.maxAttempts(), now, now, null, execution.traceContext());
	}

	@Override
	public void insertAll(List<NewExecution> executions) {
		if (executions.stream().anyMatch((execution) -> execution.key() != null || execution.runAt() != null
				|| execution.delay() != null)) {
			throw new IllegalArgumentException("Batch inserts take executions due now without keys");
		}
		if (!executions.isEmpty()) {
			this.transactions.executeWithoutResult((status) -> this.dialect.insertAll(this.jdbc, executions));
		}
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

	/**
	 * Moves picked (and locked) ids to {@code RUNNING} for the node and reads them back, in the caller's
	 * transaction.
	 */
	static List<ClaimedExecution> claimPicked(JdbcTemplate jdbc, List<UUID> ids, String node, Duration lease) {
		if (ids.isEmpty()) {
			return List.of();
		}
		String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
		List<Object> args = new ArrayList<>(List.of(node, lease.toMillis()));
		args.addAll(ids);
		jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id IN (" + in + ") AND " + CLAIM.guard(),
				args.toArray());
		List<Object> read = new ArrayList<>(List.of(node));
		read.addAll(ids);
		return jdbc.query("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE node = ? AND " + SUCCEED.guard()
				+ " AND id IN (" + in + ") " + StoreDialect.CLAIM_ORDER, claimed(node), read.toArray());
	}

	static RowMapper<ClaimedExecution> claimed(String node) {
		return (rs, row) -> {
			Instant createdAt = instant(rs.getObject(6, OffsetDateTime.class));
			Instant runAt = instant(rs.getObject(7, OffsetDateTime.class));
			Instant readyAt = (createdAt != null && runAt != null && createdAt.isAfter(runAt)) ? createdAt : runAt;
			return new ClaimedExecution(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
					node, rs.getInt(5), readyAt, instant(rs.getObject(8, OffsetDateTime.class)),
					instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10));
		};
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	@Override
	public @Nullable ClaimedExecution claim(UUID id, String node, Duration lease) {
		if (this.jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id = ? AND " + CLAIM.guardById(), node,
				lease.toMillis(), id) == 0) {
			return null;
		}
		return this.jdbc.queryForObject("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE id = ?", claimed(node),
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
	public boolean fail(ClaimedExecution claim, ExecutionError error) {
		return this.jdbc.update("UPDATE bgt_execution SET " + FAIL.set()
				+ ", error_type = ?, error_message = ?, error_stack_trace = ?, finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + FENCE, errorArgs(error, claim.id(), claim.node(), claim.attempt())) == 1;
	}

	@Override
	public boolean retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		List<Object> args = new ArrayList<>(List.of(delay.toMillis()));
		args.addAll(List.of(errorArgs(error, claim.id(), claim.node(), claim.attempt())));
		return this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", run_at = " + LEASE + RELEASE
				+ ", error_type = ?, error_message = ?, error_stack_trace = ?" + FENCE, args.toArray()) == 1;
	}

	@Override
	public boolean cancelled(ClaimedExecution claim) {
		return this.jdbc.update("UPDATE bgt_execution SET " + STOP.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + FENCE, claim.id(), claim.node(), claim.attempt()) == 1;
	}

	@Override
	public boolean handBack(ClaimedExecution claim) {
		return this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set() + ", attempt = attempt - 1" + RELEASE + FENCE,
				claim.id(), claim.node(), claim.attempt()) == 1;
	}

	@Override
	public boolean cancel(UUID id) {
		return this.jdbc.update("UPDATE bgt_execution SET " + CANCEL.set() + ", finished_at = CURRENT_TIMESTAMP"
				+ " WHERE id = ? AND " + CANCEL.guardById(), id) == 1;
	}

	@Override
	public boolean requestCancel(UUID id) {
		return this.jdbc.update("UPDATE bgt_execution SET cancel_requested = TRUE WHERE id = ? AND " + STOP.guardById(),
				id) == 1;
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
