package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One window of {@link SoakNode}: rates and pickups of the window, the state of the database at its end, and
 * the heap after a full collection when one was taken. A line of the soak's CSV file.
 * @param seconds since the submitters started
 * @param submittedPerSecond submissions in the window, per second
 * @param completedPerSecond tasks that ran in the window, per second
 * @param submitLagMs how far the most behind submission was past its due time (open loop falling behind)
 * @param pickupP50Ms pickup (start inside the task minus the stamp taken just before submit) median
 * @param pickupP99Ms pickup 99th percentile
 * @param pickupMaxMs pickup maximum
 * @param startGapMaxMs the longest time between two consecutive task starts: a stalled claim shows here
 * @param database the tables at the end of the window
 * @param deleted rows that left {@code bgt_execution} in the window (submitted minus the change in its row
 * count): retention's deletes
 * @param store claims and retention batches timed in the window
 * @param heapMb heap after a full collection, or {@code null} when none was taken in this window
 */
record SoakSample(double seconds, double submittedPerSecond, double completedPerSecond, double submitLagMs,
		double pickupP50Ms, double pickupP99Ms, double pickupMaxMs, double startGapMaxMs, Database database,
		long deleted, SoakStoreTiming.Window store, @Nullable Double heapMb) {

	static final String HEADER = "seconds,submitted_per_s,completed_per_s,submit_lag_ms,pickup_p50_ms,pickup_p99_ms,"
			+ "pickup_max_ms,start_gap_max_ms,ready,running,execution_rows,execution_total_mb,execution_table_mb,"
			+ "execution_indexes_mb,dead_tuples,vacuums,retention_deleted,attempt_rows,task_start_rows,"
			+ "dependency_rows,batch_rows,stats_minute_rows,claims,claim_max_ms,claim_during_retention_max_ms,"
			+ "retention_batches,retention_batch_max_ms,heap_mb";

	private static final double MB = 1024 * 1024;

	String csv() {
		return String.join(",", format(this.seconds, 0), format(this.submittedPerSecond, 0),
				format(this.completedPerSecond, 0), format(this.submitLagMs, 1), format(this.pickupP50Ms, 2),
				format(this.pickupP99Ms, 2), format(this.pickupMaxMs, 2), format(this.startGapMaxMs, 2),
				Long.toString(this.database.ready()), Long.toString(this.database.running()),
				Long.toString(this.database.rows()), format(this.database.totalBytes() / MB, 2),
				format(this.database.tableBytes() / MB, 2), format(this.database.indexBytes() / MB, 2),
				Long.toString(this.database.deadTuples()), Long.toString(this.database.autovacuums()),
				Long.toString(this.deleted), Long.toString(this.database.attempts()),
				Long.toString(this.database.taskStarts()), Long.toString(this.database.dependencies()),
				Long.toString(this.database.batches()), Long.toString(this.database.statsMinutes()),
				Long.toString(this.store.claims()), format(this.store.claimMaxMs(), 2),
				format(this.store.claimDuringRetentionMaxMs(), 2), Long.toString(this.store.retentionBatches()),
				format(this.store.retentionMaxMs(), 2), (this.heapMb != null) ? format(this.heapMb, 1) : "");
	}

	private static String format(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	/**
	 * The soak's tables at one moment, read on a connection of the harness's own (not the application's pool).
	 */
	record Database(long ready, long running, long rows, long totalBytes, long tableBytes, long indexBytes,
			long deadTuples, long autovacuums, long attempts, long taskStarts, long dependencies, long batches,
			long statsMinutes) {

		private static final String QUERY = "SELECT"
				+ " (SELECT count(*) FROM bgt_execution WHERE status = 'READY'),"
				+ " (SELECT count(*) FROM bgt_execution WHERE status = 'RUNNING'),"
				+ " (SELECT count(*) FROM bgt_execution),"
				+ " pg_total_relation_size('bgt_execution'), pg_relation_size('bgt_execution'),"
				+ " pg_indexes_size('bgt_execution'),"
				+ " (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'bgt_execution'),"
				+ " (SELECT autovacuum_count + vacuum_count FROM pg_stat_user_tables WHERE relname = 'bgt_execution'),"
				+ " (SELECT count(*) FROM bgt_attempt), (SELECT count(*) FROM bgt_task_start),"
				+ " (SELECT count(*) FROM bgt_execution_dependency), (SELECT count(*) FROM bgt_batch),"
				+ " (SELECT count(*) FROM bgt_stats_minute)";

		static Database read(Connection connection) throws SQLException {
			try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(QUERY)) {
				row.next();
				return new Database(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
						row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9), row.getLong(10), row.getLong(11),
						row.getLong(12), row.getLong(13));
			}
		}

	}

}
