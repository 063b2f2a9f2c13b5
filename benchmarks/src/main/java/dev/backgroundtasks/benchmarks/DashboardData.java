package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fills a fresh database, migrated by the starter, as a busy cluster leaves it, in plain
 * {@code INSERT ... SELECT generate_series} statements: {@code rows} finished executions created evenly
 * over the last 7 days (the default retention of successes), 97.5 % SUCCESSFUL, 2 % FAILED, 0.5 %
 * CANCELLED, over {@code tasks} tasks and {@code nodes} nodes (each row's drawn from a hash of its
 * number, so that every task has failures), with time-ordered version 7 ids like {@code ExecutionIds}';
 * 10 % fired by a schedule, 30 % created through the API, each of those by one of 5 submitters
 * ({@code user-0} to {@code user-4}, 6 % of all rows each), one in ten with a key ({@code order-0} to
 * {@code order-99999}: one row per key for each 1,000,000 rows); then a backlog ({@code ready} READY rows due over the last 10 minutes, a tenth
 * of them due in an hour, and {@code running} RUNNING ones, leased for a day so that no node recovers them
 * while the benchmark runs), a full day of {@code bgt_stats_minute} (a row per minute, node and task, as if
 * every node ran every task every minute) and the nodes' rows.
 */
final class DashboardData {

	private static final Duration SPAN = Duration.ofDays(7);

	/** Finished rows per statement, so the log shows progress. */
	private static final int CHUNK = 1_000_000;

	private final JdbcTemplate jdbc;

	private final DataSource dataSource;

	private final int tasks = Bench.integer("dashboardTasks", 20);

	private final int nodes = Bench.integer("dashboardNodes", 10);

	DashboardData(DataSource dataSource) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
	}

	void load(long rows) throws SQLException {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		OffsetDateTime start = now.minus(SPAN).minusMinutes(10);
		long stepMicros = SPAN.toNanos() / 1_000 / rows;
		for (long from = 1; from <= rows; from += CHUNK) {
			long to = Math.min(rows, from + CHUNK - 1);
			this.jdbc.update(finishedInsert(), start, stepMicros, from, to);
			DashboardBenchmark.log("  loaded " + to + " finished executions");
		}
		int ready = Bench.integer("dashboardReady", 20_000);
		int running = Bench.integer("dashboardRunning", 200);
		this.jdbc.update(activeInsert(), running, running, running, running, running, running, now.minusMinutes(10),
				Duration.ofMinutes(10).toNanos() / 1_000 / (ready + running), ready + running);
		int minutes = Bench.integer("dashboardStatsMinutes", 1_440);
		this.jdbc.update(statsInsert(), minutes - 1, this.nodes - 1, this.tasks - 1);
		this.jdbc.update("INSERT INTO bgt_node (node_name, started_at, last_heartbeat, running) SELECT 'node-' || n,"
				+ " CURRENT_TIMESTAMP - INTERVAL '1' DAY, CURRENT_TIMESTAMP, 20 FROM generate_series(0, ?) n",
				this.nodes - 1);
		DashboardBenchmark.log("  loaded " + (ready + running) + " active executions, "
				+ minutes * this.nodes * this.tasks + " rows of bgt_stats_minute, " + this.nodes + " nodes");
	}

	/**
	 * Version 7 ids: the creation millisecond, version 7, a 12-bit counter, the variant, then the row number,
	 * unique and increasing with the row (variant nibble 8 for finished rows, 9 for active ones).
	 */
	private static String uuid7(String variant) {
		return "CAST(LPAD(TO_HEX(CAST(EXTRACT(EPOCH FROM created) * 1000 AS BIGINT)), 12, '0') || '7'"
				+ " || LPAD(TO_HEX(i % 4096), 3, '0') || '" + variant + "' || LPAD(TO_HEX(i), 15, '0') AS uuid)";
	}

	/**
	 * The task of row {@code i}: a hash of it, so that a task's rows are not all alike in the other columns
	 * (with {@code i % tasks}, only tasks whose number is a multiple of 10 would ever fail).
	 */
	private String task() {
		return "'task-' || LPAD(CAST(" + hashed(1, this.tasks) + " AS text), 2, '0')";
	}

	private String node() {
		return "'node-' || " + hashed(2, this.nodes);
	}

	/** A number from 0 to {@code count - 1} hashed from the row number, a different one for each seed. */
	private static String hashed(int seed, int count) {
		return "((hashint8extended(i, " + seed + ") & 2147483647) % " + count + ")";
	}

	private String finishedInsert() {
		return "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, result,"
			+ " error_type, error_message, attempt, max_attempts, node, created_at, run_at, started_at, finished_at,"
			+ " submitted_by, dedup_key)"
			+ " SELECT " + uuid7("8") + ", " + task() + ", CASE WHEN i % 200 = 1 THEN 'CANCELLED' WHEN i % 50 = 0"
			+ " THEN 'FAILED' ELSE 'SUCCESSFUL' END, CASE WHEN i % 10 = 0 THEN 'SCHEDULE' WHEN i % 3 = 0 THEN 'API'"
			+ " ELSE 'CODE' END, '{\"customer\":' || i || '}',"
			+ " CASE WHEN i % 200 <> 1 AND i % 50 <> 0 THEN '\"ok\"' END,"
			+ " CASE WHEN i % 50 = 0 THEN 'java.lang.IllegalStateException' END, CASE WHEN i % 50 = 0 THEN 'failed'"
			+ " END, CASE WHEN i % 50 = 0 THEN 3 ELSE 1 END, 3, " + node() + ", created, created,"
			+ " created + INTERVAL '2 milliseconds', created + INTERVAL '12 milliseconds',"
			+ " CASE WHEN i % 10 <> 0 AND i % 3 = 0 THEN 'user-' || " + hashed(3, 5) + " END,"
			+ " CASE WHEN i % 10 = 4 THEN 'order-' || (i / 10 % 100000) END"
			+ " FROM (SELECT i, CAST(? AS timestamptz) + i * CAST(? AS bigint) * INTERVAL '1 microsecond' AS created"
			+ " FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) i) s";
	}

	private String activeInsert() {
		return "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt,"
			+ " max_attempts, node, created_at, run_at, started_at, lease_until) SELECT " + uuid7("9") + ", " + task()
			+ ", CASE WHEN i <= ? THEN 'RUNNING' ELSE 'READY' END, 'CODE', '{}', CASE WHEN i <= ? THEN 1 ELSE 0 END, 3,"
			+ " CASE WHEN i <= ? THEN " + node() + " END, created, CASE WHEN i % 10 = 0 AND i > ?"
			+ " THEN created + INTERVAL '1 hour' ELSE created END, CASE WHEN i <= ? THEN CURRENT_TIMESTAMP END,"
			+ " CASE WHEN i <= ? THEN CURRENT_TIMESTAMP + INTERVAL '1 day' END"
			+ " FROM (SELECT i, CAST(? AS timestamptz) + i * CAST(? AS bigint) * INTERVAL '1 microsecond' AS created"
			+ " FROM generate_series(1, ?) i) s";
	}

	/**
	 * Counts that vary by minute, node and task; pickups halve from one bucket to the next.
	 */
	private String statsInsert() throws SQLException {
		List<String> buckets = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				ResultSet columns = connection.getMetaData().getColumns(null, null, "bgt_stats_minute", "pickup_%")) {
			while (columns.next()) {
				String column = columns.getString("COLUMN_NAME");
				if (!column.equals("pickup_max_micros")) {
					buckets.add(column);
				}
			}
		}
		buckets.sort((a, b) -> Long.compare(bound(a), bound(b)));
		List<String> values = new ArrayList<>();
		for (int k = 0; k < buckets.size(); k++) {
			values.add("b >> " + (k + 1));
		}
		return "INSERT INTO bgt_stats_minute (minute_start, node, task_name, succeeded, failed, retried, cancelled,"
				+ " timed_out, " + String.join(", ", buckets) + ", pickup_max_micros) SELECT DATE_TRUNC('minute',"
				+ " CURRENT_TIMESTAMP) - m * INTERVAL '1 minute', 'node-' || n,"
				+ " 'task-' || LPAD(CAST(t AS text), 2, '0'), b, b % 7, b % 11, b % 3, b % 2, "
				+ values.stream().collect(Collectors.joining(", ")) + ", 40000 + b"
				+ " FROM generate_series(0, ?) m, generate_series(0, ?) n, generate_series(0, ?) t,"
				+ " LATERAL (SELECT 100 + (m * 7 + n * 13 + t * 17) % 200 AS b) v";
	}

	/** pickup_le_250 before pickup_le_1000; the open bucket (pickup_gt_...) last. */
	private static long bound(String column) {
		long value = Long.parseLong(column.substring(column.lastIndexOf('_') + 1));
		return column.startsWith("pickup_gt_") ? Long.MAX_VALUE : value;
	}

}
