package dev.backgroundtasks.execution;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.DatabaseDialect.UniqueKey;
import dev.backgroundtasks.execution.ExecutionColumns.Start;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Every insert into {@code bgt_execution}: submissions (with a deduplication key or not), executions
 * of schedule fire times, executions stored already claimed, and batches. All are built from
 * {@link ExecutionColumns}; a clash on a unique index is resolved by the dialect's clause or by
 * catching the duplicate, never by failing the caller's transaction.
 */
final class ExecutionInserts {

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	private final TransactionOperations transactions;

	private final DependencyRows dependencies;

	private final DependencyReleases releases;

	ExecutionInserts(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions,
			DependencyRows dependencies, DependencyReleases releases) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
		this.dependencies = dependencies;
		this.releases = releases;
	}

	UUID insert(NewExecution execution) {
		if (execution.scheduleId() != null) {
			throw new IllegalArgumentException("Executions of a schedule are stored with insertScheduled");
		}
		if (!execution.after().isEmpty()) {
			return insertAfter(execution);
		}
		String sql = insertStatement(execution, false);
		Object[] args = insertArgs(execution);
		if (execution.key() == null) {
			this.jdbc.update(sql, args);
			return execution.id();
		}
		if (this.dialect.insertUnlessDuplicate(this.jdbc, UniqueKey.ACTIVE_KEY, sql, args, execution.id())) {
			return execution.id();
		}
		List<UUID> active = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE task_name = ? AND dedup_key = ?"
				+ " AND status IN ('READY', 'RUNNING')", UUID.class, execution.task(), execution.key());
		// The holder of the key finished in between: the key is free again.
		return active.isEmpty() ? insert(execution) : active.get(0);
	}

	/**
	 * Stores an execution that waits for others, with its dependencies, in one transaction (the caller's
	 * when there is one): {@code WAITING}, or {@code READY} or {@code CANCELLED} at once when its parents
	 * already decide it; then checks it again once it commits (see {@link DependencyReleases}).
	 */
	private UUID insertAfter(NewExecution execution) {
		if (execution.key() != null) {
			throw new IllegalArgumentException("An execution that waits for others ('after') cannot have a key");
		}
		DependencyRows.Start start = this.transactions.execute((status) -> {
			DependencyRows.Start checked = this.dependencies.check(execution);
			this.jdbc.update(insertStatement(execution, checked.status() != TaskStatus.READY), insertArgs(execution));
			this.dependencies.stored(execution, checked);
			return checked;
		});
		if (start != null && start.status() == TaskStatus.WAITING) {
			this.releases.inserted(execution.id());
		}
		return execution.id();
	}

	private static String insertStatement(NewExecution execution, boolean waiting) {
		Start start = Start.READY_NOW;
		if (execution.runAt() != null) {
			start = Start.READY_AT;
		}
		else if (execution.delay() != null) {
			start = Start.READY_AFTER;
		}
		return ExecutionColumns.insert(waiting ? start.waiting() : start);
	}

	private static Object[] insertArgs(NewExecution execution) {
		List<Object> args = new ArrayList<>(Arrays.asList(ExecutionColumns.values(execution)));
		if (execution.runAt() != null) {
			args.add(Timestamp.from(execution.runAt()));
		}
		else if (execution.delay() != null) {
			args.add(execution.delay().toMillis());
		}
		return args.toArray();
	}

	boolean insertScheduled(NewExecution execution) {
		if (execution.scheduleId() == null || execution.fireTime() == null || execution.key() != null
				|| execution.runAt() != null || execution.delay() != null) {
			throw new IllegalArgumentException("An execution of a schedule has a schedule id and a fire time, and is due"
					+ " now without a key");
		}
		return this.dialect.insertUnlessDuplicate(this.jdbc, UniqueKey.SCHEDULE_TICK,
				ExecutionColumns.insert(Start.READY_NOW), ExecutionColumns.values(execution), execution.id());
	}

	ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease) {
		if (!execution.isPlainDueNow() || execution.maxConcurrency() > 0) {
			throw new IllegalArgumentException("Only executions due now without key, schedule or limit are stored claimed");
		}
		List<Object> args = new ArrayList<>(Arrays.asList(ExecutionColumns.values(execution)));
		args.add(node);
		args.add(lease.toMillis());
		this.jdbc.update(ExecutionColumns.insert(Start.CLAIMED), args.toArray());
		Instant now = Instant.now();
		return new ClaimedExecution(execution.id(), execution.task(), execution.params(), 1, node,
				execution.maxAttempts(), now, now, null, execution.traceContext(), 1, execution.batchId());
	}

	void insertAll(List<NewExecution> executions) {
		if (!executions.stream().allMatch(NewExecution::isPlainDueNow)) {
			throw new IllegalArgumentException("Batch inserts take executions due now without keys or schedules");
		}
		if (executions.isEmpty()) {
			return;
		}
		if (this.dialect.insertAllStatements(executions.size()) == 1) {
			// One statement is all or nothing by itself: outside a transaction of the caller it commits on its
			// own, one round trip instead of two (begin sent with the insert, then commit); inside one it joins it.
			this.dialect.insertAll(this.jdbc, executions);
		}
		else {
			this.transactions.executeWithoutResult((status) -> this.dialect.insertAll(this.jdbc, executions));
		}
	}

}
