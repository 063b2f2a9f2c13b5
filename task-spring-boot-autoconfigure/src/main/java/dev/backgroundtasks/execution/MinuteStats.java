package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What one node counted for one task in one minute since it last wrote its statistics: the amounts
 * {@link JdbcStatsStore#add} adds to the node's row of that minute and task in {@code bgt_stats_minute}.
 *
 * @param minute the start of the minute (database time)
 * @param task the task name
 * @param succeeded attempts that succeeded
 * @param failed executions that failed for good: attempts that failed or timed out with no attempt left,
 * and attempts lost with their node that had none left
 * @param retried attempts that failed or timed out with attempts left, and attempts lost with their node
 * that run again
 * @param cancelled attempts stopped on a cancel request, and attempts lost with their node whose
 * cancelling was asked
 * @param timedOut the attempts among {@code failed} that ran past their timeout
 * @param pickups how many attempts started in each {@link PickupBuckets bucket} of pickup latency, in
 * bucket order
 * @param pickupMaxMicros the longest of those pickup latencies in microseconds, 0 when none
 */
public record MinuteStats(Instant minute, String task, long succeeded, long failed, long retried, long cancelled,
		long timedOut, long[] pickups, long pickupMaxMicros) {

	public MinuteStats {
		if (pickups.length != PickupBuckets.COUNT) {
			throw new IllegalArgumentException(
					"Expected " + PickupBuckets.COUNT + " pickup buckets, got " + pickups.length);
		}
		pickups = pickups.clone();
	}

	@Override
	public long[] pickups() {
		return this.pickups.clone();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof MinuteStats that && this.minute.equals(that.minute) && this.task.equals(that.task)
				&& this.succeeded == that.succeeded && this.failed == that.failed && this.retried == that.retried
				&& this.cancelled == that.cancelled && this.timedOut == that.timedOut
				&& Arrays.equals(this.pickups, that.pickups) && this.pickupMaxMicros == that.pickupMaxMicros;
	}

	@Override
	public int hashCode() {
		return 31 * (31 * this.minute.hashCode() + this.task.hashCode()) + Arrays.hashCode(this.pickups);
	}

	@Override
	public String toString() {
		return "MinuteStats[minute=" + this.minute + ", task=" + this.task + ", succeeded=" + this.succeeded
				+ ", failed=" + this.failed + ", retried=" + this.retried + ", cancelled=" + this.cancelled
				+ ", timedOut=" + this.timedOut + ", pickups=" + Arrays.toString(this.pickups) + ", pickupMaxMicros="
				+ this.pickupMaxMicros + "]";
	}

}
