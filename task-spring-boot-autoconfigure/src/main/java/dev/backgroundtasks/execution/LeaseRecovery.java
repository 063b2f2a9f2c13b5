package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Moves executions whose lease expired, in one transaction: locks a bounded batch of them ({@code FOR
 * UPDATE SKIP LOCKED}, so nodes recovering at once split the work), then returns each to {@code READY}
 * when attempts are left (the lost attempt counts and is recorded as a past attempt; the original
 * {@code run_at} stays, so it keeps its place in the queue), or ends it {@code FAILED}, or
 * {@code CANCELLED} when cancelling was asked.
 */
final class LeaseRecovery {

	private static final int BATCH = 1000;

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final String EXPIRED = RETRY.guard() + " AND lease_until < CURRENT_TIMESTAMP";

	/**
	 * The error type of an attempt whose lease expired; no such class exists.
	 */
	static final String LEASE_EXPIRED = "dev.backgroundtasks.LeaseExpiredException";

	// CONCAT, not ||, which MariaDB reads as OR.
	private static final String LOST = "CONCAT('Node ', node, ' stopped heartbeating during attempt ', attempt)";

	private static final String CLEAR_ERROR = "error_type = NULL, error_message = NULL, error_stack_trace = NULL";

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final PastAttempts pastAttempts;

	private final BatchCompletions batches;

	LeaseRecovery(JdbcTemplate jdbc, TransactionOperations transactions, BatchCompletions batches) {
		this.jdbc = jdbc;
		this.batches = batches;
		this.transactions = transactions;
		this.pastAttempts = new PastAttempts(jdbc);
	}

	List<RecoveredExecution> recover() {
		Set<UUID> endedBatches = new HashSet<>();
		List<RecoveredExecution> recovered = this.transactions.execute((status) -> {
			List<Map<String, Object>> expired = this.jdbc.queryForList("SELECT id, task_name, attempt, node,"
					+ " cancel_requested, max_attempts, batch_id, " + PastAttempts.LAST_SEQ + " AS last_seq FROM bgt_execution"
					+ " WHERE " + EXPIRED + " FETCH FIRST " + BATCH + " ROWS ONLY FOR UPDATE SKIP LOCKED");
			List<RecoveredExecution> moved = new ArrayList<>(expired.size());
			Map<UUID, Integer> retried = new HashMap<>();
			for (Map<String, Object> row : expired) {
				int attempt = ((Number) row.get("attempt")).intValue();
				TaskStatus to = Boolean.TRUE.equals(row.get("cancel_requested")) ? TaskStatus.CANCELLED
						: (attempt >= ((Number) row.get("max_attempts")).intValue()) ? TaskStatus.FAILED
								: TaskStatus.READY;
				UUID id = (UUID) row.get("id");
				moved.add(new RecoveredExecution(id, (String) row.get("task_name"), to, attempt,
						String.valueOf(row.get("node"))));
				if (to == TaskStatus.READY) {
					retried.put(id, ((Number) row.get("last_seq")).intValue());
				}
				else if (row.get("batch_id") != null) {
					endedBatches.add(batchId(row.get("batch_id")));
				}
			}
			update(moved, TaskStatus.CANCELLED, STOP.set() + ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL, "
					+ CLEAR_ERROR);
			update(moved, TaskStatus.FAILED, FAIL.set() + ", error_type = '" + LEASE_EXPIRED + "', error_message = "
					+ "CONCAT(" + LOST + ", ' and no attempts are left'), error_stack_trace = '',"
					+ " finished_at = CURRENT_TIMESTAMP, lease_until = NULL");
			// Recorded before the update, while the rows still name the node that lost them.
			this.pastAttempts.addAll(retried, EXPIRED, Outcome.LEASE_EXPIRED,
					"'" + LEASE_EXPIRED + "', " + LOST + ", ''");
			update(moved, TaskStatus.READY, RETRY.set() + ", error_type = '" + LEASE_EXPIRED + "', error_message = "
					+ LOST + ", error_stack_trace = '', node = NULL, lease_until = NULL");
			return moved;
		});
		this.batches.membersEnded(endedBatches);
		return (recovered != null) ? recovered : List.of();
	}

	private static UUID batchId(Object value) {
		return (value instanceof UUID uuid) ? uuid : UUID.fromString(value.toString());
	}

	private void update(List<RecoveredExecution> moved, TaskStatus to, String set) {
		List<Object> ids = moved.stream().filter((execution) -> execution.status() == to)
			.map(RecoveredExecution::id)
			.map(Object.class::cast)
			.toList();
		if (!ids.isEmpty()) {
			this.jdbc.update("UPDATE bgt_execution SET " + set + " WHERE id IN ("
					+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND " + EXPIRED, ids.toArray());
		}
	}

}
