package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Moves executions whose lease expired, in one transaction: locks a bounded batch of them ({@code FOR
 * UPDATE SKIP LOCKED}, so nodes recovering at once split the work), then returns each to {@code READY}
 * when attempts are left (the lost attempt counts; the original {@code run_at} stays, so it keeps its
 * place in the queue), or ends it {@code FAILED}, or {@code CANCELLED} when cancelling was asked.
 */
final class LeaseRecovery {

	private static final int BATCH = 1000;

	private static final Transition RETRY = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.READY);

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final String EXPIRED = RETRY.guard() + " AND lease_until < CURRENT_TIMESTAMP";

	private static final String LOST = "'Node ' || node || ' stopped heartbeating during attempt ' || attempt";

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	LeaseRecovery(JdbcTemplate jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	List<RecoveredExecution> recover() {
		List<RecoveredExecution> recovered = this.transactions.execute((status) -> {
			List<Map<String, Object>> expired = this.jdbc.queryForList("SELECT id, task_name, attempt, node,"
					+ " cancel_requested, max_attempts FROM bgt_execution WHERE " + EXPIRED + " FETCH FIRST " + BATCH
					+ " ROWS ONLY FOR UPDATE SKIP LOCKED");
			List<RecoveredExecution> moved = new ArrayList<>(expired.size());
			for (Map<String, Object> row : expired) {
				int attempt = ((Number) row.get("attempt")).intValue();
				TaskStatus to = Boolean.TRUE.equals(row.get("cancel_requested")) ? TaskStatus.CANCELLED
						: (attempt >= ((Number) row.get("max_attempts")).intValue()) ? TaskStatus.FAILED
								: TaskStatus.READY;
				moved.add(new RecoveredExecution((UUID) row.get("id"), (String) row.get("task_name"), to, attempt,
						String.valueOf(row.get("node"))));
			}
			update(moved, TaskStatus.CANCELLED, STOP.set() + ", finished_at = CURRENT_TIMESTAMP, lease_until = NULL");
			update(moved, TaskStatus.FAILED, FAIL.set() + ", error_type = 'dev.backgroundtasks.LeaseExpiredException',"
					+ " error_message = " + LOST + " || ' and no attempts are left', error_stack_trace = '',"
					+ " finished_at = CURRENT_TIMESTAMP, lease_until = NULL");
			update(moved, TaskStatus.READY, RETRY.set() + ", error_type = 'dev.backgroundtasks.LeaseExpiredException',"
					+ " error_message = " + LOST + ", node = NULL, lease_until = NULL");
			return moved;
		});
		return (recovered != null) ? recovered : List.of();
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
