package dev.backgroundtasks.worker;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.MinuteStats;
import dev.backgroundtasks.execution.PickupBuckets;
import dev.backgroundtasks.support.AttemptOutcome;
import org.jspecify.annotations.Nullable;

/**
 * This node's statistics in memory, by minute and task, until they are written: what
 * {@link StatisticsRecorder} counts on the engine's hot paths, taken out in one piece by
 * {@link #drain()}. Counting takes no lock and, in the common case, no map look-up but the task's:
 * {@link LongAdder}s, so that worker threads counting at once do not contend.
 * <p>
 * Minutes are told by the database clock, as the rows of {@code bgt_stats_minute} are read: pickups by
 * the start time of the claim, which the database set; outcomes by this node's clock corrected by the
 * offset last measured ({@link #databaseClock}).
 */
final class MinuteCounters {

	private static final long MINUTE_MILLIS = 60_000;

	private final Clock clock;

	private final Map<Long, Minute> minutes = new ConcurrentHashMap<>();

	/** The latest minute counted into, where most counts go: found without a look-up by minute. */
	private volatile @Nullable Minute latest;

	/** The database clock minus this node's clock, in milliseconds, as last measured. */
	private volatile long offsetMillis;

	/** Minutes taken out of the map by the last drain, drained once more by the next. */
	private List<Minute> retired = List.of();

	MinuteCounters(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Sets the offset of the database clock from this node's.
	 * @param databaseNow the database's time
	 * @param localMillis this node's clock at the same moment
	 */
	void databaseClock(Instant databaseNow, long localMillis) {
		this.offsetMillis = databaseNow.toEpochMilli() - localMillis;
	}

	/**
	 * Counts how an attempt ended, in the current minute.
	 * @param task the task
	 * @param outcome how the attempt ended; a hand-back, a snooze or a lost claim counts nothing (the attempt
	 * does not count, or the node that recovers it counts it)
	 */
	void ended(String task, AttemptOutcome outcome) {
		switch (outcome) {
			case SUCCESS -> now(task).succeeded.increment();
			case FAILURE -> now(task).failed.increment();
			case TIMEOUT -> {
				TaskCounters counters = now(task);
				counters.failed.increment();
				counters.timedOut.increment();
			}
			case CANCELLED -> now(task).cancelled.increment();
			case RETRY -> now(task).retried.increment();
			case HANDED_BACK, SNOOZED, LOST -> {
			}
		}
	}

	/**
	 * Counts an attempt lost with its node that this node ended, in the current minute.
	 * @param task the task
	 * @param status what the execution became: {@code READY} counts as retried, {@code FAILED} as failed,
	 * {@code CANCELLED} as cancelled
	 */
	void recovered(String task, TaskStatus status) {
		switch (status) {
			case READY -> now(task).retried.increment();
			case FAILED -> now(task).failed.increment();
			case CANCELLED -> now(task).cancelled.increment();
			case RUNNING, SUCCESSFUL -> {
			}
		}
	}

	/**
	 * @return the counters of a task in the current minute, by the database clock
	 */
	private TaskCounters now(String task) {
		return of(task, this.clock.millis() + this.offsetMillis);
	}

	/**
	 * Counts an attempt's pickup latency in the minute it started.
	 * @param task the task
	 * @param readyAt when the execution became ready (database time)
	 * @param startedAt when the attempt started (database time)
	 */
	void pickup(String task, Instant readyAt, Instant startedAt) {
		// In microseconds without a Duration: this runs once per attempt.
		long micros = Math.max(0, (startedAt.getEpochSecond() - readyAt.getEpochSecond()) * 1_000_000
				+ (startedAt.getNano() - readyAt.getNano()) / 1_000);
		TaskCounters counters = of(task, startedAt.toEpochMilli());
		counters.pickups[PickupBuckets.index(micros)].increment();
		counters.pickupMaxMicros.accumulate(micros);
	}

	private TaskCounters of(String task, long epochMillis) {
		long epochMinute = Math.floorDiv(epochMillis, MINUTE_MILLIS);
		Minute minute = this.latest;
		if (minute == null || minute.epochMinute != epochMinute) {
			minute = this.minutes.computeIfAbsent(epochMinute, Minute::new);
			Minute previous = this.latest;
			if (previous == null || epochMinute > previous.epochMinute) {
				this.latest = minute;
			}
		}
		TaskCounters counters = minute.tasks.get(task);
		return (counters != null) ? counters : minute.tasks.computeIfAbsent(task, (name) -> new TaskCounters());
	}

	/**
	 * Takes out everything counted since the last drain, leaving the counters at zero. Minutes over for
	 * more than a minute leave memory, after one more drain for a count that found its minute just before;
	 * a later count for such a minute (a pickup of a claim that waited) starts it anew. A count is lost
	 * only if its thread, having found a minute over for more than a minute, stalls across two drains
	 * before counting.
	 * @return what was counted, one entry per minute and task with counts
	 */
	synchronized List<MinuteStats> drain() {
		long current = Math.floorDiv(this.clock.millis() + this.offsetMillis, MINUTE_MILLIS);
		List<MinuteStats> drained = new ArrayList<>();
		for (Minute minute : this.retired) {
			minute.drainTo(drained);
		}
		List<Minute> retiring = new ArrayList<>();
		for (Minute minute : this.minutes.values()) {
			minute.drainTo(drained);
			if (minute.epochMinute < current - 1) {
				retiring.add(minute);
			}
		}
		for (Minute minute : retiring) {
			this.minutes.remove(minute.epochMinute, minute);
			if (this.latest == minute) {
				this.latest = null;
			}
		}
		this.retired = retiring;
		return drained;
	}

	/**
	 * Counts again what a drain took out but could not write, so that the next drain takes it out again.
	 * @param stats what the drain returned
	 * @param oldest the start of the oldest minute to keep: older ones are past their retention
	 */
	void restore(List<MinuteStats> stats, Instant oldest) {
		for (MinuteStats row : stats) {
			if (row.minute().isBefore(oldest)) {
				continue;
			}
			TaskCounters counters = of(row.task(), row.minute().toEpochMilli());
			counters.succeeded.add(row.succeeded());
			counters.failed.add(row.failed());
			counters.retried.add(row.retried());
			counters.cancelled.add(row.cancelled());
			counters.timedOut.add(row.timedOut());
			long[] pickups = row.pickups();
			for (int i = 0; i < pickups.length; i++) {
				counters.pickups[i].add(pickups[i]);
			}
			counters.pickupMaxMicros.accumulate(row.pickupMaxMicros());
		}
	}

	/**
	 * The counters of one task in one minute.
	 */
	private static final class TaskCounters {

		final LongAdder succeeded = new LongAdder();

		final LongAdder failed = new LongAdder();

		final LongAdder retried = new LongAdder();

		final LongAdder cancelled = new LongAdder();

		final LongAdder timedOut = new LongAdder();

		final LongAdder[] pickups = new LongAdder[PickupBuckets.COUNT];

		final LongAccumulator pickupMaxMicros = new LongAccumulator(Math::max, 0);

		TaskCounters() {
			for (int i = 0; i < this.pickups.length; i++) {
				this.pickups[i] = new LongAdder();
			}
		}

		/**
		 * Takes out the counts, each atomically (a count made meanwhile is in this drain or the next).
		 */
		@Nullable MinuteStats drain(Instant minute, String task) {
			long[] pickups = new long[this.pickups.length];
			long any = 0;
			for (int i = 0; i < pickups.length; i++) {
				pickups[i] = this.pickups[i].sumThenReset();
				any |= pickups[i];
			}
			MinuteStats stats = new MinuteStats(minute, task, this.succeeded.sumThenReset(), this.failed.sumThenReset(),
					this.retried.sumThenReset(), this.cancelled.sumThenReset(), this.timedOut.sumThenReset(), pickups,
					this.pickupMaxMicros.getThenReset());
			any |= stats.succeeded() | stats.failed() | stats.retried() | stats.cancelled() | stats.timedOut();
			return (any != 0) ? stats : null;
		}

	}

	/**
	 * The counters of every task in one minute.
	 */
	private static final class Minute {

		final long epochMinute;

		final Map<String, TaskCounters> tasks = new ConcurrentHashMap<>();

		Minute(long epochMinute) {
			this.epochMinute = epochMinute;
		}

		void drainTo(List<MinuteStats> drained) {
			Instant start = Instant.EPOCH.plus(this.epochMinute, ChronoUnit.MINUTES);
			this.tasks.forEach((task, counters) -> {
				MinuteStats stats = counters.drain(start, task);
				if (stats != null) {
					drained.add(stats);
				}
			});
		}

	}

}
