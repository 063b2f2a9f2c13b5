package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sliding windows of rate-limited tasks, in {@code bgt_task_start}: one row per claim of an execution
 * (retries and snoozed runs start again), written in the claim's transaction under the task's lock, and
 * deleted once older than the window. Counting {@code started_at} in {@code bgt_execution} instead would
 * miss earlier attempts of the same execution (each claim overwrites it), and {@code bgt_attempt} is
 * written only when an attempt ends and keeps a few per execution.
 */
final class RateWindows {

	private final JdbcTemplate jdbc;

	RateWindows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Deletes the task's starts older than its window and reads what is left, per partition; in the
	 * caller's transaction, which holds the task's lock.
	 * @param task the task
	 * @param period the window's length
	 * @return the window of each partition with starts in it
	 */
	Map<String, Window> read(String task, Duration period) {
		long millis = period.toMillis();
		this.jdbc.update("DELETE FROM bgt_task_start WHERE task_name = ? AND started_at < " + ExecutionStatements.AGO,
				task, millis);
		Map<String, Window> windows = new HashMap<>();
		this.jdbc.query("SELECT partition_key, COUNT(*), MIN(started_at) FROM bgt_task_start WHERE task_name = ?"
				+ " AND started_at >= " + ExecutionStatements.AGO + " GROUP BY partition_key", (rs) -> {
					windows.put(rs.getString(1), new Window(rs.getInt(2), rs.getObject(3, OffsetDateTime.class)));
				}, task, millis);
		return windows;
	}

	/**
	 * @return the database's time now
	 */
	OffsetDateTime now() {
		OffsetDateTime now = this.jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
		if (now == null) {
			throw new IllegalStateException("The database did not say what time it is");
		}
		return now;
	}

	/**
	 * Records the starts of claimed executions of one task, in the claim's transaction.
	 * @param task the task
	 * @param claimed the claims, each with its partition
	 */
	void record(String task, Map<ClaimedExecution, String> claimed) {
		List<Object[]> rows = claimed.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startedAt() != null)
			.map((entry) -> new Object[] { entry.getKey().id(), entry.getKey().claimToken(), task, entry.getValue(),
					OffsetDateTime.ofInstant(entry.getKey().startedAt(), ZoneOffset.UTC) })
			.toList();
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO bgt_task_start (execution_id, claim_token, task_name, partition_key,"
					+ " started_at) VALUES (?, ?, ?, ?, ?)", rows);
		}
	}

	/**
	 * The starts of one partition within the window.
	 *
	 * @param starts how many
	 * @param oldest the oldest of them
	 */
	record Window(int starts, @Nullable OffsetDateTime oldest) {

		/**
		 * @param rate the most starts per window
		 * @return how many more may start now
		 */
		int room(int rate) {
			return Math.max(0, rate - this.starts);
		}

		/**
		 * @param period the window's length
		 * @param now the database's time
		 * @return how long until one more may start: when the oldest start leaves the window
		 */
		Duration untilRoom(Duration period, OffsetDateTime now) {
			if (this.oldest == null) {
				return Duration.ZERO;
			}
			Duration wait = Duration.between(now, this.oldest.plus(period)).plusMillis(1);
			return wait.isNegative() ? Duration.ZERO : wait;
		}

	}

}
