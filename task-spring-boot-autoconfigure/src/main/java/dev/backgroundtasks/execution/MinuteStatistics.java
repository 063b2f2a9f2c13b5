package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the per-minute statistics of {@code bgt_stats_minute} for the dashboard overview: outcomes per
 * minute and per task, and pickup-latency percentiles, summed over every node. Each read is one grouped
 * statement over the rows of the window (nodes × tasks × minutes), never over {@code bgt_execution}.
 * <p>
 * A window of {@code n} minutes (a {@link Duration} rounded up to whole minutes) is the current minute by
 * the database clock and the {@code n - 1} before it. Nodes write their counts every
 * {@code background-tasks.statistics.flush-interval}, so the current minute lags by about that much.
 * What is counted, and where, is described on {@link MinuteStats}: attempts that ended on a node with
 * statistics enabled, not executions cancelled before they ran.
 */
public class MinuteStatistics {

	/**
	 * The longest window {@link #perMinute} reads: it returns an entry per minute.
	 */
	public static final Duration MAX_PER_MINUTE = Duration.ofDays(31);

	private static final String IN_WINDOW = " FROM bgt_stats_minute WHERE minute_start > CURRENT_TIMESTAMP"
			+ " - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	private static final String OUTCOME_SUMS = "SUM(succeeded) AS succeeded, SUM(failed) AS failed,"
			+ " SUM(retried) AS retried, SUM(cancelled) AS cancelled";

	// The database time comes with the sums, in one row even when the window has none.
	private static final String PER_MINUTE = "SELECT n.db_now, s.minute_start, s.succeeded, s.failed, s.retried,"
			+ " s.cancelled FROM (SELECT CURRENT_TIMESTAMP AS db_now) n"
			+ " LEFT JOIN (SELECT minute_start, " + OUTCOME_SUMS + IN_WINDOW + " GROUP BY minute_start) s ON 1 = 1";

	private static final String PER_TASK = "SELECT task_name, " + OUTCOME_SUMS + IN_WINDOW
			+ " GROUP BY task_name ORDER BY task_name";

	private static final String PICKUPS = "SELECT "
			+ PickupBuckets.COLUMNS.stream().map((column) -> "SUM(" + column + ")").collect(Collectors.joining(", "))
			+ ", MAX(pickup_max_micros)" + IN_WINDOW;

	private final JdbcTemplate jdbc;

	public MinuteStatistics(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts outcomes per minute, summed over tasks and nodes.
	 * @param window how far back to read, rounded up to whole minutes, at most {@link #MAX_PER_MINUTE}
	 * @return one entry per minute of the window, oldest first, the last one the current minute by the
	 * database clock; minutes without counts have zeros
	 */
	public List<MinuteCounts> perMinute(Duration window) {
		int minutes = minutes(window, MAX_PER_MINUTE);
		Map<Instant, MinuteCounts> counted = new HashMap<>();
		Instant now = this.jdbc.query(PER_MINUTE, (rs) -> {
			Instant databaseNow = null;
			while (rs.next()) {
				databaseNow = rs.getObject(1, OffsetDateTime.class).toInstant();
				OffsetDateTime minute = rs.getObject(2, OffsetDateTime.class);
				if (minute != null) {
					counted.put(minute.toInstant(), new MinuteCounts(minute.toInstant(), rs.getLong(3), rs.getLong(4),
							rs.getLong(5), rs.getLong(6)));
				}
			}
			return databaseNow;
		}, Duration.ofMinutes(minutes).toMillis());
		if (now == null) {
			throw new IllegalStateException("The per-minute query returned no row");
		}
		Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(minutes - 1, ChronoUnit.MINUTES);
		List<MinuteCounts> perMinute = new ArrayList<>(minutes);
		for (int i = 0; i < minutes; i++) {
			Instant minute = first.plus(i, ChronoUnit.MINUTES);
			perMinute.add(counted.getOrDefault(minute, new MinuteCounts(minute, 0, 0, 0, 0)));
		}
		return Collections.unmodifiableList(perMinute);
	}

	/**
	 * Counts outcomes per task, summed over the minutes of the window and over nodes.
	 * @param window how far back to read, rounded up to whole minutes
	 * @return the totals of every task with counts in the window, by task name in order
	 */
	public Map<String, OutcomeCounts> perTask(Duration window) {
		Map<String, OutcomeCounts> totals = new LinkedHashMap<>();
		this.jdbc.query(PER_TASK, (rs) -> {
			totals.put(rs.getString(1), new OutcomeCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
		}, windowMillis(window));
		return Collections.unmodifiableMap(totals);
	}

	/**
	 * Reads pickup-latency percentiles from the bucket counts summed over the window, tasks and nodes.
	 * A percentile is reported as the upper bound of the bucket it falls in (1, 2, 5, 10, 25, 50, 100,
	 * 250, 500 ms, 1, 2.5, 5, 10, 30, 60 s, 5 min), or as the longest pickup of the window when that is
	 * shorter or the percentile falls in the last, open bucket: the actual percentile is at most that.
	 * @param window how far back to read, rounded up to whole minutes
	 * @return how many attempts started in the window, and the percentiles, {@code null} when none started
	 */
	public PickupLatency pickupLatency(Duration window) {
		PickupLatency latency = this.jdbc.queryForObject(PICKUPS, (rs, row) -> {
			long[] buckets = new long[PickupBuckets.COUNT];
			for (int i = 0; i < buckets.length; i++) {
				buckets[i] = rs.getLong(i + 1);
			}
			Duration longest = Duration.of(rs.getLong(buckets.length + 1), ChronoUnit.MICROS);
			long count = Arrays.stream(buckets).sum();
			return new PickupLatency(count, percentile(buckets, count, 0.50, longest),
					percentile(buckets, count, 0.95, longest), percentile(buckets, count, 0.99, longest));
		}, windowMillis(window));
		if (latency == null) {
			throw new IllegalStateException("The pickup latency query returned no row");
		}
		return latency;
	}

	private static @Nullable Duration percentile(long[] buckets, long count, double quantile, Duration longest) {
		if (count == 0) {
			return null;
		}
		long rank = (long) Math.ceil(quantile * count);
		long seen = 0;
		for (int i = 0; i < buckets.length; i++) {
			seen += buckets[i];
			if (seen >= rank) {
				Duration bound = PickupBuckets.upperBound(i);
				return (bound == null || longest.compareTo(bound) < 0) ? longest : bound;
			}
		}
		return longest;
	}

	/**
	 * @return the window in whole minutes, rounded up
	 */
	private static int minutes(Duration window, Duration most) {
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("The window must be positive, but was " + window);
		}
		if (window.compareTo(most) > 0) {
			throw new IllegalArgumentException("The window must be at most " + most + ", but was " + window);
		}
		return (int) window.plusMinutes(1).minusNanos(1).toMinutes();
	}

	/**
	 * @return how far back from now the minutes of the window started: every minute that started after
	 * then is in it, the current one included
	 */
	private static long windowMillis(Duration window) {
		return Duration.ofMinutes(minutes(window, Duration.ofMinutes(Integer.MAX_VALUE))).toMillis();
	}

	/**
	 * The outcomes counted in one minute, summed over tasks and nodes.
	 *
	 * @param minute the start of the minute (database time)
	 * @param succeeded attempts that succeeded
	 * @param failed executions that failed for good (timeouts included)
	 * @param retried failed attempts followed by another one
	 * @param cancelled running executions stopped on a cancel request
	 */
	public record MinuteCounts(Instant minute, long succeeded, long failed, long retried, long cancelled) {

	}

	/**
	 * The outcomes counted for one task over a window, summed over nodes.
	 *
	 * @param succeeded attempts that succeeded
	 * @param failed executions that failed for good (timeouts included)
	 * @param retried failed attempts followed by another one
	 * @param cancelled running executions stopped on a cancel request
	 */
	public record OutcomeCounts(long succeeded, long failed, long retried, long cancelled) {

	}

	/**
	 * Pickup latency over a window: from when an execution was due (and created) to the start of its
	 * attempt, by the database clock, for every attempt started in the window.
	 *
	 * @param count how many attempts started
	 * @param p50 the median, as an upper bound (see {@link MinuteStatistics#pickupLatency}), or
	 * {@code null} when none started
	 * @param p95 the 95th percentile, likewise
	 * @param p99 the 99th percentile, likewise
	 */
	public record PickupLatency(long count, @Nullable Duration p50, @Nullable Duration p95, @Nullable Duration p99) {

	}

}
