package dev.backgroundtasks.execution;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The rows of {@code bgt_batch}: a batch is stored with its members in one transaction (the members with
 * the multi-row inserts of the database's dialect), and read back with its counts.
 */
final class BatchRows {

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	private final TransactionOperations transactions;

	BatchRows(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
	}

	/**
	 * @see ExecutionStore#insertBatch
	 */
	void insert(NewBatch batch, List<NewExecution> members) {
		if (members.isEmpty()) {
			throw new IllegalArgumentException("A batch has at least one member");
		}
		for (NewExecution member : members) {
			if (!member.isPlainDueNow() || !batch.id().equals(member.batchId())) {
				throw new IllegalArgumentException("Members of a batch are due now, without key or schedule, and carry"
						+ " the batch's id");
			}
		}
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO bgt_batch (id, size, trigger_type, callback_task, callback_params,"
					+ " callback_max_attempts, callback_max_concurrency, callback_gets_batch_id, callback_gets_counts,"
					+ " trace_context, submitted_by, done, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE,"
					+ " CURRENT_TIMESTAMP)", batch.id(), members.size(), batch.trigger().name(), batch.callbackTask(),
					batch.callbackParams(), batch.callbackMaxAttempts(), batch.callbackMaxConcurrency(),
					batch.callbackGetsBatchId(), batch.callbackGetsCounts(), batch.traceContext(), batch.submittedBy());
			this.dialect.insertAll(this.jdbc, members);
		});
	}

	/**
	 * @see ExecutionStore#batch
	 */
	@Nullable BatchState find(UUID id) {
		List<BatchState> found = this.jdbc.query("SELECT size, done, successful, failed, cancelled, callback_task,"
				+ " callback_id, created_at, finished_at FROM bgt_batch WHERE id = ?", (rs, row) -> {
					Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
					counts.put(TaskStatus.SUCCESSFUL, rs.getInt(3));
					counts.put(TaskStatus.FAILED, rs.getInt(4));
					counts.put(TaskStatus.CANCELLED, rs.getInt(5));
					OffsetDateTime finishedAt = rs.getObject(9, OffsetDateTime.class);
					return new BatchState(id, rs.getInt(1), counts, rs.getBoolean(2), rs.getString(6),
							rs.getObject(7, UUID.class), rs.getObject(8, OffsetDateTime.class).toInstant(),
							(finishedAt != null) ? finishedAt.toInstant() : null);
				}, id);
		if (found.isEmpty()) {
			return null;
		}
		BatchState batch = found.get(0);
		if (batch.done()) {
			return batch;
		}
		// Not done: counted now, over every state its members are in.
		Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
		for (TaskStatus status : TaskStatus.values()) {
			if (status.isTerminal()) {
				counts.put(status, 0);
			}
		}
		this.jdbc.query("SELECT status, COUNT(*) FROM bgt_execution WHERE batch_id = ? GROUP BY status", (rs) -> {
			counts.put(TaskStatus.valueOf(rs.getString(1)), rs.getInt(2));
		}, id);
		return new BatchState(id, batch.size(), counts, false, batch.callbackTask(), null, batch.createdAt(), null);
	}

}
