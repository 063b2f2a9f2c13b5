package dev.backgroundtasks.execution;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

	private static final Transition SUCCEED = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.SUCCESSFUL);

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final Transition CANCEL = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.CANCELLED);

	static final String LEASE = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	static final String CLAIM_SET = CLAIM.set() + ", node = ?, attempt = attempt + 1, started_at = CURRENT_TIMESTAMP,"
			+ " lease_until = " + LEASE + ", cancel_requested = FALSE";

	static final String DUE = CLAIM.guard() + " AND run_at <= CURRENT_TIMESTAMP";

	static final String DUE_UNLIMITED = DUE + " AND max_concurrency = 0";

	static final String CLAIMED_COLUMNS = "id, task_name, params, attempt, max_attempts, created_at, run_at, started_at,"
			+ " fire_time, trace_context";

	private static final String FENCE = " WHERE id = ? AND " + SUCCEED.guard() + " AND node = ? AND attempt = ?";

	private static final String RELEASE = ", node = NULL, lease_until = NULL";

	private static final String EXPIRED = " WHERE " + SUCCEED.guard() + " AND lease_until < CURRENT_TIMESTAMP";

	private static final int MAX_STACK_TRACE = 64 * 1024;

	private static final int MAX_ERROR_TYPE = 500;

	private final JdbcTemplate jdbc;

	private final StoreDialect dialect;

	private final TransactionOperations transactions;

	private final Set<String> lockRows = ConcurrentHashMap.newKeySet();

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions new transactions, for claims of limited tasks
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, StoreDialect dialect, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
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
	public List<ClaimedExecution> claim(String node, int limit, Duration lease) {
		if (limit <= 0) {
			return List.of();
		}
		List<ClaimedExecution> claimed = new ArrayList<>(claimLimited(node, limit, lease));
		if (claimed.size() < limit) {
			claimed.addAll(this.dialect.claim(this.jdbc, node, limit - claimed.size(), lease));
		}
		return claimed;
	}

	private List<ClaimedExecution> claimLimited(String node, int limit, Duration lease) {
		List<Map<String, Object>> limited = this.jdbc.queryForList("SELECT task_name, MAX(max_concurrency) AS most"
				+ " FROM bgt_execution WHERE " + DUE + " AND max_concurrency > 0 GROUP BY task_name");
		List<ClaimedExecution> claimed = new ArrayList<>();
		for (Map<String, Object> task : limited) {
			if (claimed.size() >= limit) {
				break;
			}
			String name = (String) task.get("task_name");
			int most = ((Number) task.get("most")).intValue();
			ensureLockRow(name);
			List<ClaimedExecution> batch = this.transactions.execute((status) -> {
				this.jdbc.queryForList("SELECT task_name FROM bgt_task_lock WHERE task_name = ? FOR UPDATE", name);
				Integer running = this.jdbc.queryForObject(
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND " + SUCCEED.guard(), Integer.class, name);
				int room = Math.min(most - ((running != null) ? running : 0), limit - claimed.size());
				if (room <= 0) {
					return List.<ClaimedExecution>of();
				}
				List<UUID> ids = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE " + DUE + " AND task_name = ? "
						+ StoreDialect.CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED", UUID.class, name, room);
				return claimPicked(this.jdbc, ids, node, lease);
			});
			if (batch != null) {
				claimed.addAll(batch);
			}
		}
		return claimed;
	}

	private void ensureLockRow(String task) {
		if (this.lockRows.contains(task)) {
			return;
		}
		try {
			this.jdbc.update("INSERT INTO bgt_task_lock (task_name) SELECT ? WHERE NOT EXISTS"
					+ " (SELECT 1 FROM bgt_task_lock WHERE task_name = ?)", task, task);
		}
		catch (DuplicateKeyException ex) {
			// Another node inserted it first.
		}
		this.lockRows.add(task);
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
		if (this.jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id = ? AND " + CLAIM.guard(), node,
				lease.toMillis(), id) == 0) {
			return null;
		}
		return this.jdbc.queryForObject("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE id = ?", claimed(node),
				id);
	}

	@Override
	public boolean complete(ClaimedExecution claim, @Nullable String result) {
		return this.jdbc.update("UPDATE bgt_execution SET " + SUCCEED.set()
				+ ", result = ?, error_type = NULL, error_message = NULL, error_stack_trace = NULL,"
				+ " finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + FENCE, result, claim.id(), claim.node(),
				claim.attempt()) == 1;
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
				+ " WHERE id = ? AND " + CANCEL.guard(), id) == 1;
	}

	@Override
	public boolean requestCancel(UUID id) {
		return this.jdbc.update("UPDATE bgt_execution SET cancel_requested = TRUE WHERE id = ? AND " + STOP.guard(),
				id) == 1;
	}

	@Override
	public int extendLeases(String node, Duration lease) {
		return this.jdbc.update("UPDATE bgt_execution SET lease_until = " + LEASE + " WHERE node = ? AND "
				+ SUCCEED.guard(), lease.toMillis(), node);
	}

	@Override
	public Set<UUID> cancelRequested(String node) {
		return new HashSet<>(this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE node = ? AND "
				+ SUCCEED.guard() + " AND cancel_requested", UUID.class, node));
	}

	@Override
	public int recoverExpiredLeases() {
		int cancelled = this.jdbc.update("UPDATE bgt_execution SET " + STOP.set()
				+ ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + EXPIRED + " AND cancel_requested");
		int failed = this.jdbc.update("UPDATE bgt_execution SET " + FAIL.set()
				+ ", error_type = 'dev.backgroundtasks.LeaseExpiredException',"
				+ " error_message = 'Node ' || node || ' stopped heartbeating during attempt ' || attempt"
				+ " || ' and no attempts are left', error_stack_trace = '', finished_at = CURRENT_TIMESTAMP,"
				+ " lease_until = NULL" + EXPIRED + " AND attempt >= max_attempts");
		int retried = this.jdbc.update("UPDATE bgt_execution SET " + RETRY.set()
				+ ", run_at = CURRENT_TIMESTAMP, error_type = 'dev.backgroundtasks.LeaseExpiredException',"
				+ " error_message = 'Node ' || node || ' stopped heartbeating during attempt ' || attempt" + RELEASE
				+ EXPIRED);
		return cancelled + failed + retried;
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
