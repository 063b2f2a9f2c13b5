package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionColumns.Start;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Ends batches: once no member of a batch is left unfinished, one caller flips the batch's {@code done}
 * ({@code FALSE → TRUE}, a guarded UPDATE: of several nodes whose members ended last at the same time,
 * exactly one moves it) and, in the same transaction, keeps the counts per terminal state and stores the
 * callback execution. "Every member has ended" never becomes false again (terminal states have no exit,
 * and a retry of a member is a new execution outside the batch), so a look before the flip is enough; the
 * look runs after the member's end is committed, so of two members ending last at once, at least the later
 * look sees both ended. A crash between a member's end and the flip is repaired by {@link #sweep()}, which
 * the lease recovery runs every few seconds.
 */
final class BatchCompletions {

	private static final String UNFINISHED = Arrays.stream(TaskStatus.values())
		.filter((status) -> !status.isTerminal())
		.map((status) -> "'" + status.name() + "'")
		.collect(Collectors.joining(", "));

	/** Batches not done whose members have all ended. */
	private static final String ENDED = "SELECT b.id FROM bgt_batch b WHERE b.done = FALSE AND NOT EXISTS (SELECT 1"
			+ " FROM bgt_execution e WHERE e.batch_id = b.id AND e.status IN (" + UNFINISHED + "))";

	private static final int SWEEP_LIMIT = 100;

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final BatchCallbackListener listener;

	/**
	 * @param jdbc the template
	 * @param transactions transactions for the flip and the callback's insert (joining the caller's, when
	 * the member ended in one)
	 * @param listener told about every callback stored, after its transaction
	 */
	BatchCompletions(JdbcTemplate jdbc, TransactionOperations transactions, BatchCallbackListener listener) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.listener = listener;
	}

	/**
	 * Ends the batches among the given ones whose members have all ended: one statement for any number of
	 * batches, and a transaction per batch that ends.
	 * @param batchIds the batches of members that just ended, with their ends committed
	 */
	void membersEnded(Collection<UUID> batchIds) {
		List<UUID> ids = List.copyOf(new LinkedHashSet<>(batchIds));
		for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT));
			this.jdbc.queryForList(ENDED + " AND b.id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
					+ ")", UUID.class, chunk.toArray()).forEach(this::finish);
		}
	}

	/**
	 * Ends batches whose last member ended without ending them (its node died in between).
	 * @return how many this call ended
	 */
	int sweep() {
		int ended = 0;
		for (UUID id : this.jdbc.queryForList(ENDED + " FETCH FIRST " + SWEEP_LIMIT + " ROWS ONLY", UUID.class)) {
			ended += finish(id) ? 1 : 0;
		}
		return ended;
	}

	/**
	 * Flips the batch to done and stores its callback, unless another caller did first.
	 * @return whether this call ended it
	 */
	private boolean finish(UUID id) {
		Ended ended = this.transactions.execute((transaction) -> {
			if (this.jdbc.update("UPDATE bgt_batch SET done = TRUE, finished_at = CURRENT_TIMESTAMP WHERE id = ?"
					+ " AND done = FALSE", id) == 0) {
				return null;
			}
			Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
			for (TaskStatus status : TaskStatus.values()) {
				if (status.isTerminal()) {
					counts.put(status, 0);
				}
			}
			this.jdbc.query("SELECT status, COUNT(*) FROM bgt_execution WHERE batch_id = ? GROUP BY status",
					(rs) -> {
						counts.put(TaskStatus.valueOf(rs.getString(1)), rs.getInt(2));
					}, id);
			NewExecution callback = this.jdbc.query("SELECT callback_task, callback_params, callback_max_attempts,"
					+ " callback_max_concurrency, callback_gets_batch_id, callback_gets_counts, trigger_type,"
					+ " trace_context, submitted_by FROM bgt_batch WHERE id = ?", (rs) -> {
						if (!rs.next() || rs.getString(1) == null) {
							return null;
						}
						String params = callbackParams(rs.getString(2), id, counts, rs.getBoolean(5), rs.getBoolean(6));
						return new NewExecution(ExecutionIds.next(), rs.getString(1), TaskTrigger.valueOf(rs.getString(7)),
								params, rs.getInt(3), rs.getInt(4), 0, null, null, null, null, rs.getString(8), null, null,
								rs.getString(9));
					}, id);
			if (callback != null) {
				this.jdbc.update(ExecutionColumns.insert(Start.READY_NOW), ExecutionColumns.values(callback));
			}
			this.jdbc.update("UPDATE bgt_batch SET successful = ?, failed = ?, cancelled = ?, callback_id = ? WHERE id = ?",
					counts.get(TaskStatus.SUCCESSFUL), counts.get(TaskStatus.FAILED), counts.get(TaskStatus.CANCELLED),
					(callback != null) ? callback.id() : null, id);
			return new Ended(callback);
		});
		if (ended == null) {
			return false;
		}
		if (ended.callback() != null) {
			this.listener.callbackStored(ended.callback());
		}
		return true;
	}

	/**
	 * The callback's own params with {@code batchId} and {@code counts} added as its task takes them.
	 * @param own the callback's own params, a JSON object as the application's mapper wrote it
	 */
	static String callbackParams(@Nullable String own, UUID batchId, Map<TaskStatus, Integer> counts,
			boolean withBatchId, boolean withCounts) {
		String body = (own != null) ? own.trim() : "{}";
		StringBuilder params = new StringBuilder(body.substring(0, body.length() - 1).trim());
		boolean first = params.length() == 1;
		if (withBatchId) {
			params.append(first ? "" : ",").append("\"batchId\":\"").append(batchId).append('"');
			first = false;
		}
		if (withCounts) {
			params.append(first ? "" : ",")
				.append("\"counts\":{")
				.append(counts.entrySet()
					.stream()
					.filter((entry) -> entry.getKey().isTerminal())
					.map((entry) -> "\"" + entry.getKey().name() + "\":" + entry.getValue())
					.collect(Collectors.joining(",")))
				.append('}');
		}
		return params.append('}').toString();
	}

	/**
	 * What a flip stored.
	 *
	 * @param callback the callback execution, or {@code null} for a batch without one
	 */
	private record Ended(@Nullable NewExecution callback) {
	}

}
