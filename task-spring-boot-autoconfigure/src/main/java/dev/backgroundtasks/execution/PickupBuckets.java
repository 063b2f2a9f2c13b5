package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The fixed buckets of pickup latency in {@code bgt_stats_minute}: one count per bucket, so that the
 * counts of every node and minute add up, and percentiles read from the sums are exact to the bucket.
 * Bucket {@code i} holds the latencies above the bound of bucket {@code i - 1} up to its own bound; the
 * last bucket is open (above 5 minutes).
 */
public final class PickupBuckets {

	/**
	 * The upper bounds of the closed buckets in milliseconds, each in a column {@code pickup_le_<bound>}.
	 */
	private static final long[] BOUNDS_MILLIS = { 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
			10_000, 30_000, 60_000, 300_000 };

	/**
	 * How many buckets there are, the open one included.
	 */
	public static final int COUNT = BOUNDS_MILLIS.length + 1;

	/**
	 * The columns of the buckets, in bucket order.
	 */
	static final List<String> COLUMNS = columns();

	private PickupBuckets() {
	}

	/**
	 * @param micros a pickup latency in microseconds; a negative one (a clock that moved back) counts as
	 * zero
	 * @return the index of the bucket it falls in
	 */
	public static int index(long micros) {
		for (int i = 0; i < BOUNDS_MILLIS.length; i++) {
			if (micros <= BOUNDS_MILLIS[i] * 1_000) {
				return i;
			}
		}
		return BOUNDS_MILLIS.length;
	}

	/**
	 * @param index a bucket index
	 * @return the bucket's upper bound, or {@code null} for the last, open bucket
	 */
	static @Nullable Duration upperBound(int index) {
		return (index < BOUNDS_MILLIS.length) ? Duration.ofMillis(BOUNDS_MILLIS[index]) : null;
	}

	private static List<String> columns() {
		List<String> columns = new ArrayList<>();
		for (long bound : BOUNDS_MILLIS) {
			columns.add("pickup_le_" + bound);
		}
		columns.add("pickup_gt_" + BOUNDS_MILLIS[BOUNDS_MILLIS.length - 1]);
		return List.copyOf(columns);
	}

}
