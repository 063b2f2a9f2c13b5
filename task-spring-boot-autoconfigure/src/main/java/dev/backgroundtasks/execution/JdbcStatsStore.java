package dev.backgroundtasks.execution;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Writes the per-minute statistics of {@code bgt_stats_minute}: each node adds what it counted to its
 * own rows and deletes the rows past their retention. {@link MinuteStatistics} reads them.
 */
public class JdbcStatsStore {

	/**
	 * The columns a write adds to, in the order it binds them after the key.
	 */
	static final List<String> COUNTERS = counters();

	/**
	 * Every column a write binds, in order: the key ({@code minute_start}, {@code node},
	 * {@code task_name}), the {@link #COUNTERS}, then {@code pickup_max_micros}, the longest pickup
	 * latency, which a write raises instead of adding to.
	 */
	static final List<String> COLUMNS = columns();

	private static final String AGO = "CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	private final TransactionOperations transactions;

	/**
	 * @param jdbc the template to run statements with
	 * @param dialect the database's dialect, for the upsert
	 * @param transactions transactions of the store's own, for the writes of one flush
	 */
	public JdbcStatsStore(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.transactions = transactions;
	}

	/**
	 * Adds a node's counts to its rows, inserting the rows it does not have yet; all or none, so that a
	 * failed write can be retried with the same counts without counting any twice.
	 * @param node the node that counted
	 * @param stats what it counted, at most one entry per minute and task
	 */
	public void add(String node, List<MinuteStats> stats) {
		if (stats.isEmpty()) {
			return;
		}
		String upsert = this.dialect.addStatistics();
		this.transactions.executeWithoutResult((status) -> this.jdbc.batchUpdate(upsert, stats, stats.size(),
				(statement, row) -> bind(statement, node, row)));
	}

	private static void bind(PreparedStatement statement, String node, MinuteStats row) throws SQLException {
		int index = 1;
		statement.setObject(index++, OffsetDateTime.ofInstant(row.minute(), ZoneOffset.UTC));
		statement.setString(index++, node);
		statement.setString(index++, row.task());
		long[] outcomes = { row.succeeded(), row.failed(), row.retried(), row.cancelled(), row.timedOut() };
		for (long count : outcomes) {
			statement.setLong(index++, count);
		}
		for (long count : row.pickups()) {
			statement.setLong(index++, count);
		}
		statement.setLong(index, row.pickupMaxMicros());
	}

	/**
	 * Deletes the rows of every node whose minute started longer ago than the retention, by the database
	 * clock.
	 * @param retention how long rows are kept
	 * @return how many rows were deleted
	 */
	public int deleteOlderThan(Duration retention) {
		return this.jdbc.update("DELETE FROM bgt_stats_minute WHERE minute_start < " + AGO, retention.toMillis());
	}

	/**
	 * @return the database's clock now, by which minutes are told
	 */
	public Instant databaseTime() {
		OffsetDateTime now = this.jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
		if (now == null) {
			throw new IllegalStateException("The database returned no time");
		}
		return now.toInstant();
	}

	private static List<String> counters() {
		List<String> counters = new ArrayList<>(List.of("succeeded", "failed", "retried", "cancelled", "timed_out"));
		counters.addAll(PickupBuckets.COLUMNS);
		return List.copyOf(counters);
	}

	private static List<String> columns() {
		List<String> columns = new ArrayList<>(List.of("minute_start", "node", "task_name"));
		columns.addAll(COUNTERS);
		columns.add("pickup_max_micros");
		return List.copyOf(columns);
	}

}
