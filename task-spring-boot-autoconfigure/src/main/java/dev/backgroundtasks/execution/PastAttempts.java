package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.ExecutionAttempt.Outcome;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the attempts that later attempts supersede into {@code bgt_attempt}: one row for an attempt that
 * failed with attempts left, was handed back at shutdown, or lost its lease. The execution's own row keeps
 * its current or last attempt, so nothing is written here on a claim, a success or a final failure.
 * <p>
 * Each row is written in the transaction that supersedes its attempt, which holds the execution's row
 * lock: numbering an execution's rows ({@code seq}, as attempt numbers recur after a hand-back) cannot
 * race. At most {@value #KEPT} rows are kept per execution: the one that would exceed it deletes the
 * oldest, a statement that runs only then.
 */
final class PastAttempts {

	/**
	 * The most rows kept per execution.
	 */
	static final int KEPT = 100;

	/**
	 * The {@code seq} of the newest row of an execution, 0 when it has none: a column for a query of
	 * {@code bgt_execution} that locks the execution's row, so that it stays the newest until the end of
	 * the transaction.
	 */
	static final String LAST_SEQ = "(SELECT COALESCE(MAX(a.seq), 0) FROM bgt_attempt a"
			+ " WHERE a.execution_id = bgt_execution.id)";

	/**
	 * The error columns of a row that copies the error the execution's row holds.
	 */
	static final String ERROR_OF_EXECUTION = "error_type, error_message, error_stack_trace";

	/**
	 * The error columns of a row without an error.
	 */
	static final String NO_ERROR = "NULL, NULL, NULL";

	private static final String INSERT = "INSERT INTO bgt_attempt (execution_id, seq, attempt, node, started_at,"
			+ " finished_at, outcome, error_type, error_message, error_stack_trace) SELECT id, ";

	private final JdbcTemplate jdbc;

	PastAttempts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records the attempt of a claim that just ended, in the caller's transaction, which holds the
	 * execution's row lock. The start of the attempt is read from the execution's row, which keeps it until
	 * the next claim.
	 * @param claim the claim of the attempt
	 * @param lastSeq the {@link #LAST_SEQ} of the execution, read under that lock
	 * @param outcome how the attempt ended
	 * @param error the error columns: {@link #ERROR_OF_EXECUTION} or {@link #NO_ERROR}
	 */
	void add(ClaimedExecution claim, int lastSeq, Outcome outcome, String error) {
		int seq = lastSeq + 1;
		this.jdbc.update(INSERT + "?, ?, ?, started_at, CURRENT_TIMESTAMP, ?, " + error
				+ " FROM bgt_execution WHERE id = ?", seq, claim.attempt(), claim.node(), outcome.name(), claim.id());
		if (seq > KEPT) {
			this.jdbc.update("DELETE FROM bgt_attempt WHERE execution_id = ? AND seq <= ?", claim.id(), seq - KEPT);
		}
	}

	/**
	 * Records the current attempts of executions, each as its row holds it (attempt, node and start), in
	 * the caller's transaction, which holds their row locks.
	 * @param lastSeqs the {@link #LAST_SEQ} of each execution, read under those locks
	 * @param condition what else their rows must match, in SQL
	 * @param outcome how the attempts ended
	 * @param error the error columns, in SQL on the execution's row
	 */
	void addAll(Map<UUID, Integer> lastSeqs, String condition, Outcome outcome, String error) {
		if (lastSeqs.isEmpty()) {
			return;
		}
		List<UUID> ids = List.copyOf(lastSeqs.keySet());
		this.jdbc.update(INSERT + LAST_SEQ + " + 1, attempt, node, started_at, CURRENT_TIMESTAMP, '" + outcome.name()
				+ "', " + error + " FROM bgt_execution WHERE id IN ("
				+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND " + condition, ids.toArray());
		List<Object[]> trims = new ArrayList<>();
		lastSeqs.forEach((id, lastSeq) -> {
			if (lastSeq + 1 > KEPT) {
				trims.add(new Object[] { id, lastSeq + 1 - KEPT });
			}
		});
		if (!trims.isEmpty()) {
			this.jdbc.batchUpdate("DELETE FROM bgt_attempt WHERE execution_id = ? AND seq <= ?", trims);
		}
	}

}
