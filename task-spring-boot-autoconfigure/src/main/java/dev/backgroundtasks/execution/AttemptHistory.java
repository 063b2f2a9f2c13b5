package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the attempts of an execution: its past attempts from {@code bgt_attempt}, then its current or last
 * attempt, which only its own row holds. Both come from one statement, so a retry or a hand-back that
 * writes meanwhile cannot make an attempt show twice or not at all.
 */
final class AttemptHistory {

	private static final String ATTEMPTS = "SELECT 0, seq, attempt, node, started_at, finished_at, outcome,"
			+ " error_type, error_message, error_stack_trace FROM bgt_attempt WHERE execution_id = ? UNION ALL"
			+ " SELECT 1, 0, attempt, node, started_at, finished_at, status, error_type, error_message,"
			+ " error_stack_trace FROM bgt_execution WHERE id = ? ORDER BY 1, 2";

	private AttemptHistory() {
	}

	/**
	 * @param connection a connection, in the caller's transaction if any
	 * @param id the execution id
	 * @return the attempts of the execution, oldest first; empty when it has none, or does not exist
	 * @throws SQLException when reading fails
	 */
	static List<ExecutionAttempt> read(Connection connection, UUID id) throws SQLException {
		List<ExecutionAttempt> attempts = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(ATTEMPTS)) {
			statement.setObject(1, id);
			statement.setObject(2, id);
			try (ResultSet result = statement.executeQuery()) {
				ResultSet rows = MariaDbJdbcTemplate.utcTimesOn(connection, result);
				while (rows.next()) {
					ExecutionAttempt attempt = (rows.getInt(1) == 0) ? past(rows) : current(rows);
					if (attempt != null) {
						attempts.add(attempt);
					}
				}
			}
		}
		return attempts;
	}

	private static ExecutionAttempt past(ResultSet row) throws SQLException {
		return new ExecutionAttempt(row.getInt(3), row.getString(4), instant(row, 5), instant(row, 6),
				Outcome.valueOf(row.getString(7)), error(row));
	}

	private static @Nullable ExecutionAttempt current(ResultSet row) throws SQLException {
		return current(TaskStatus.valueOf(row.getString(7)), row.getInt(3), row.getString(4), instant(row, 5),
				instant(row, 6), error(row));
	}

	/**
	 * @param execution an execution
	 * @return its current or last attempt, or {@code null} (see
	 * {@link #current(TaskStatus, int, String, Instant, Instant, ExecutionError)})
	 */
	static @Nullable ExecutionAttempt current(Execution execution) {
		return current(execution.status(), execution.attempt(), execution.node(), execution.startedAt(),
				execution.finishedAt(), execution.error());
	}

	/**
	 * The current or last attempt of an execution, from its row: none while it is {@code READY} (it never
	 * started, or its last attempt was superseded and is a past attempt), none when it was cancelled while
	 * waiting (no node: the transitions that end an attempt keep its node), else the attempt its row holds.
	 * @return the attempt, or {@code null} when the row holds none
	 */
	static @Nullable ExecutionAttempt current(TaskStatus status, int attempt, @Nullable String node,
			@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable ExecutionError error) {
		if (attempt == 0) {
			return null;
		}
		return switch (status) {
			case WAITING, READY -> null;
			// The row keeps the error of the attempt before, until this one ends.
			case RUNNING -> new ExecutionAttempt(attempt, node, startedAt, null, Outcome.RUNNING, null);
			case SUCCESSFUL -> new ExecutionAttempt(attempt, node, startedAt, finishedAt, Outcome.SUCCEEDED, null);
			case FAILED -> new ExecutionAttempt(attempt, node, startedAt, finishedAt,
					failure((error != null) ? error.type() : ""), error);
			case CANCELLED -> (node != null)
					? new ExecutionAttempt(attempt, node, startedAt, finishedAt, Outcome.CANCELLED, error) : null;
		};
	}

	/**
	 * @param errorType the error type of an attempt that failed
	 * @return how it ended: timed out, lost its lease, or failed
	 */
	static Outcome failure(String errorType) {
		if (errorType.equals(TaskTimeoutException.class.getName())) {
			return Outcome.TIMED_OUT;
		}
		return errorType.equals(LeaseRecovery.LEASE_EXPIRED) ? Outcome.LEASE_EXPIRED : Outcome.FAILED;
	}

	private static @Nullable ExecutionError error(ResultSet row) throws SQLException {
		String type = row.getString(8);
		if (type == null) {
			return null;
		}
		String stackTrace = row.getString(10);
		return new ExecutionError(type, row.getString(9), (stackTrace != null) ? stackTrace : "");
	}

	private static @Nullable Instant instant(ResultSet row, int column) throws SQLException {
		OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

}
