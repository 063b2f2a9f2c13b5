package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static dev.backgroundtasks.execution.ExecutionStatements.AGO;

/**
 * Deletes a batch of executions past their retention together with their past attempts and the rows
 * naming what they waited for, in one
 * transaction. The attempts are deleted by execution id here rather than by a cascading foreign key,
 * whose trigger would check every update of {@code bgt_execution}. A finished execution gains no
 * attempts, so none can be added between the two deletes.
 */
final class RetentionDeletes {

	private static final String PICK = "SELECT e.id FROM bgt_execution e WHERE e.status = ? AND e.finished_at < " + AGO
			+ " AND (e.schedule_id IS NULL OR EXISTS (SELECT 1 FROM bgt_execution n WHERE n.task_name = e.task_name"
			+ " AND n.schedule_id = e.schedule_id AND n.fire_time > e.fire_time))"
			// A member of a batch not done yet stays: the batch's counts are taken when its last member ends.
			+ " AND (e.batch_id IS NULL OR NOT EXISTS (SELECT 1 FROM bgt_batch b WHERE b.id = e.batch_id AND"
			+ " b.done = FALSE)) FETCH FIRST ? ROWS ONLY";

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final DependencyRows dependencies;

	RetentionDeletes(JdbcTemplate jdbc, TransactionOperations transactions, DependencyRows dependencies) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.dependencies = dependencies;
	}

	/**
	 * @see ExecutionStore#deleteFinished
	 */
	int delete(TaskStatus status, Duration age, int limit) {
		if (!status.isTerminal()) {
			throw new IllegalArgumentException("Only finished executions are deleted, not " + status);
		}
		Integer deleted = this.transactions.execute((transaction) -> {
			List<UUID> ids = this.jdbc.queryForList(PICK, UUID.class, status.name(), age.toMillis(), limit);
			int count = 0;
			for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
				Object[] chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT)).toArray();
				String in = String.join(", ", Collections.nCopies(chunk.length, "?"));
				this.jdbc.update("DELETE FROM bgt_attempt WHERE execution_id IN (" + in + ")", chunk);
				this.dependencies.deleted(chunk);
				count += this.jdbc.update("DELETE FROM bgt_execution WHERE id IN (" + in + ")", chunk);
			}
			return count;
		});
		return (deleted != null) ? deleted : 0;
	}

}
