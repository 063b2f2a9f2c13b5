package dev.backgroundtasks.execution;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

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

	ExecutionInserts(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
	}

	UUID insert(NewExecution execution) {
		if (execution.scheduleId() != null) {
			throw new IllegalArgumentException("Executions of a schedule are stored with insertScheduled");
		}
		List<Object> args = new ArrayList<>(Arrays.asList(ExecutionColumns.values(execution)));
		Start start = Start.READY_NOW;
		if (execution.runAt() != null) {
			start = Start.READY_AT;
			args.add(Timestamp.from(execution.runAt()));
		}
		else if (execution.delay() != null) {
			start = Start.READY_AFTER;
			args.add(execution.delay().toMillis());
		}
		String sql = ExecutionColumns.insert(start);
		if (execution.key() == null) {
			this.jdbc.update(sql, args.toArray());
			return execution.id();
		}
		if (this.dialect.insertUnlessDuplicate(this.jdbc, UniqueKey.ACTIVE_KEY, sql, args.toArray(), execution.id())) {
			return execution.id();
		}
		List<UUID> active = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE task_name = ? AND dedup_key = ?"
				+ " AND status IN ('READY', 'RUNNING')", UUID.class, execution.task(), execution.key());
		// The holder of the key finished in between: the key is free again.
		return active.isEmpty() ? insert(execution) : active.get(0);
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
		if (!executions.isEmpty()) {
			this.transactions.executeWithoutResult((status) -> this.dialect.insertAll(this.jdbc, executions));
		}
	}

}
