package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Claims executions of tasks with a cluster-wide concurrency limit. Claimers of one task serialize on its
 * row in {@code bgt_task_lock} ({@code SELECT ... FOR UPDATE}), count its RUNNING executions and claim
 * only what the limit leaves, all in one transaction: a counting query alone would race between nodes.
 */
final class LimitedTaskClaims {

	static final Duration UNKNOWN_LOOK_INTERVAL = Duration.ofSeconds(1);

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final Set<String> lockRows = ConcurrentHashMap.newKeySet();

	private final BooleanSupplier limitedTasksKnown;

	private volatile long lookedAt;

	/**
	 * @param jdbc the template
	 * @param transactions transactions of the engine's own
	 * @param limitedTasksKnown whether this node knows a task with a concurrency limit: while it does not,
	 * claims look for limited executions (stored under another node's settings) once per
	 * {@link #UNKNOWN_LOOK_INTERVAL} only, which saves a round trip on every other claim
	 */
	LimitedTaskClaims(JdbcTemplate jdbc, TransactionOperations transactions, BooleanSupplier limitedTasksKnown) {
		this.limitedTasksKnown = limitedTasksKnown;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.lookedAt = System.nanoTime() - UNKNOWN_LOOK_INTERVAL.toNanos();
	}

	List<ClaimedExecution> claim(String node, int limit, Duration lease, @Nullable Collection<String> tasks) {
		if (!this.limitedTasksKnown.getAsBoolean()) {
			long now = System.nanoTime();
			if (now - this.lookedAt < UNKNOWN_LOOK_INTERVAL.toNanos()) {
				return List.of();
			}
			this.lookedAt = now;
		}
		List<Map<String, Object>> limited = this.jdbc.queryForList("SELECT task_name, MAX(max_concurrency) AS most"
				+ " FROM bgt_execution WHERE " + ExecutionStatements.DUE + " AND max_concurrency > 0 GROUP BY task_name");
		List<ClaimedExecution> claimed = new ArrayList<>();
		for (Map<String, Object> task : limited) {
			if (claimed.size() >= limit) {
				break;
			}
			String name = (String) task.get("task_name");
			if (tasks != null && !tasks.contains(name)) {
				continue;
			}
			int most = ((Number) task.get("most")).intValue();
			ensureLockRow(name);
			List<ClaimedExecution> batch = this.transactions.execute((status) -> {
				this.jdbc.queryForList("SELECT task_name FROM bgt_task_lock WHERE task_name = ? FOR UPDATE", name);
				Integer running = this.jdbc.queryForObject(
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND " + ExecutionStatements.RUNNING_GUARD,
						Integer.class, name);
				int room = Math.min(most - ((running != null) ? running : 0), limit - claimed.size());
				if (room <= 0) {
					return List.<ClaimedExecution>of();
				}
				List<UUID> ids = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE " + ExecutionStatements.DUE
						+ " AND task_name = ? " + DatabaseDialect.CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED",
						UUID.class, name, room);
				return ExecutionStatements.claimPicked(this.jdbc, ids, node, lease);
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
		// A plain look, then a plain insert: an INSERT ... SELECT ... WHERE NOT EXISTS takes shared
		// next-key locks on MariaDB (repeatable read), and two nodes inserting the same new row at once
		// deadlock on them. A lost race ends in a duplicate key, or a deadlock victim, and a look again.
		for (int tries = 1;; tries++) {
			Integer rows = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_task_lock WHERE task_name = ?",
					Integer.class, task);
			if (rows != null && rows > 0) {
				break;
			}
			try {
				this.jdbc.update("INSERT INTO bgt_task_lock (task_name) VALUES (?)", task);
				break;
			}
			catch (DuplicateKeyException ex) {
				break;
			}
			catch (PessimisticLockingFailureException ex) {
				if (tries >= 5) {
					throw ex;
				}
			}
		}
		this.lockRows.add(task);
	}

}
