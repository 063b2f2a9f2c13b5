package dev.backgroundtasks.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.MinuteStats;
import dev.backgroundtasks.execution.PickupBuckets;
import dev.backgroundtasks.support.AttemptOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MinuteCounters}: counts by minute and task, drained whole, with a clock the test moves.
 */
class MinuteCountersTests {

	private static final Instant START = Instant.parse("2026-12-06T10:15:20Z");

	private final MovableClock clock = new MovableClock(START);

	private final MinuteCounters counters = new MinuteCounters(this.clock);

	@Test
	void countsEachOutcomeOfATaskInTheCurrentMinute() {
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.counters.ended("a", AttemptOutcome.FAILURE);
		this.counters.ended("a", AttemptOutcome.TIMEOUT);
		this.counters.ended("a", AttemptOutcome.RETRY);
		this.counters.ended("a", AttemptOutcome.CANCELLED);
		this.counters.ended("a", AttemptOutcome.HANDED_BACK);
		this.counters.ended("a", AttemptOutcome.LOST);
		this.counters.recovered("b", TaskStatus.READY);
		this.counters.recovered("b", TaskStatus.FAILED);
		this.counters.recovered("b", TaskStatus.CANCELLED);
		assertThat(this.counters.drain()).containsExactlyInAnyOrder(
				stats("2026-12-06T10:15:00Z", "a", 2, 2, 1, 1, 1),
				stats("2026-12-06T10:15:00Z", "b", 0, 1, 1, 1, 0));
		assertThat(this.counters.drain()).as("drained to zero").isEmpty();
	}

	@Test
	void countsPickupsInTheMinuteTheAttemptStartedByBucketWithTheLongest() {
		Instant ready = Instant.parse("2026-12-06T10:14:59.999Z");
		this.counters.pickup("a", ready, ready.plusNanos(800_000));
		this.counters.pickup("a", ready, ready.plusMillis(7));
		this.counters.pickup("a", ready, ready.plusMillis(3));
		this.counters.pickup("a", ready, ready.minusMillis(5));
		assertThat(this.counters.drain()).satisfiesExactlyInAnyOrder((row) -> {
			assertThat(row.minute()).isEqualTo(Instant.parse("2026-12-06T10:14:00Z"));
			assertThat(row.pickups()).as("a start before ready counts as no wait")
				.containsExactly(bucketCounts(800, 0));
			assertThat(row.pickupMaxMicros()).isEqualTo(800);
		}, (row) -> {
			assertThat(row.minute()).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
			assertThat(row.pickups()).containsExactly(bucketCounts(7_000, 3_000));
			assertThat(row.pickupMaxMicros()).isEqualTo(7_000);
		});
	}

	@Test
	void rollsOverToTheNextMinuteAndForgetsMinutesLongOver() {
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.clock.advance(Duration.ofSeconds(40));
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		assertThat(this.counters.drain()).containsExactlyInAnyOrder(stats("2026-12-06T10:15:00Z", "a", 1, 0, 0, 0, 0),
				stats("2026-12-06T10:16:00Z", "a", 2, 0, 0, 0, 0));
		this.clock.advance(Duration.ofMinutes(3));
		this.counters.ended("a", AttemptOutcome.FAILURE);
		assertThat(this.counters.drain()).containsExactly(stats("2026-12-06T10:19:00Z", "a", 0, 1, 0, 0, 0));
		// A count for a minute long over still counts, in a minute of its own.
		this.counters.pickup("a", Instant.parse("2026-12-06T10:15:01Z"), Instant.parse("2026-12-06T10:15:02Z"));
		assertThat(this.counters.drain()).singleElement()
			.satisfies((row) -> assertThat(row.minute()).isEqualTo(Instant.parse("2026-12-06T10:15:00Z")));
	}

	@Test
	void tellsMinutesByTheDatabaseClock() {
		// The database is 50 s ahead of this node: 10:15:20 here is 10:16:10 there.
		this.counters.databaseClock(START.plusSeconds(50), this.clock.millis());
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		assertThat(this.counters.drain()).singleElement()
			.satisfies((row) -> assertThat(row.minute()).isEqualTo(Instant.parse("2026-12-06T10:16:00Z")));
	}

	@Test
	void restoredCountsAreDrainedAgainUnlessPastTheirRetention() {
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.counters.pickup("a", START, START.plusMillis(2));
		List<MinuteStats> drained = this.counters.drain();
		MinuteStats old = stats("2026-12-06T08:00:00Z", "a", 5, 0, 0, 0, 0);
		List<MinuteStats> failed = new ArrayList<>(drained);
		failed.add(old);
		this.counters.ended("a", AttemptOutcome.SUCCESS);
		this.counters.restore(failed, Instant.parse("2026-12-06T09:00:00Z"));
		assertThat(this.counters.drain()).singleElement().satisfies((row) -> {
			assertThat(row.succeeded()).isEqualTo(2);
			assertThat(row.pickups()).containsExactly(bucketCounts(2_000));
			assertThat(row.pickupMaxMicros()).isEqualTo(2_000);
		});
	}

	@Test
	void concurrentCountsAndDrainsLoseNothing() throws Exception {
		int threads = 4;
		int perThread = 50_000;
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		AtomicBoolean counting = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
		List<MinuteStats> drained = Collections.synchronizedList(new ArrayList<>());
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String task = "task-" + (t % 2);
				futures.add(executor.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					for (int i = 0; i < perThread; i++) {
						this.counters.ended(task, AttemptOutcome.SUCCESS);
						Instant now = this.clock.instant();
						this.counters.pickup(task, now.minusMillis(i % 20), now);
						if (i == perThread / 2) {
							// The minute turns while others count. In all, the clock moves by less than the
							// minute that a minute must be over before it leaves memory (see drain()).
							this.clock.advance(Duration.ofSeconds(10));
						}
					}
					return null;
				}));
			}
			start.await(10, TimeUnit.SECONDS);
			Future<?> drainer = executor.submit(() -> {
				while (counting.get()) {
					drained.addAll(this.counters.drain());
				}
			});
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			counting.set(false);
			drainer.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		drained.addAll(this.counters.drain());
		drained.addAll(this.counters.drain());
		assertThat(drained.stream().mapToLong(MinuteStats::succeeded).sum()).isEqualTo((long) threads * perThread);
		assertThat(drained.stream().flatMapToLong((row) -> Arrays.stream(row.pickups())).sum())
			.isEqualTo((long) threads * perThread);
		assertThat(drained.stream().mapToLong(MinuteStats::pickupMaxMicros).max()).hasValue(19_000);
		assertThat(drained).extracting(MinuteStats::task).containsOnly("task-0", "task-1");
		assertThat(drained).extracting(MinuteStats::minute)
			.containsOnly(Instant.parse("2026-12-06T10:15:00Z"), Instant.parse("2026-12-06T10:16:00Z"));
	}

	private static MinuteStats stats(String minute, String task, long succeeded, long failed, long retried,
			long cancelled, long timedOut) {
		return new MinuteStats(Instant.parse(minute), task, succeeded, failed, retried, cancelled, timedOut,
				new long[PickupBuckets.COUNT], 0);
	}

	private static long[] bucketCounts(long... micros) {
		long[] buckets = new long[PickupBuckets.COUNT];
		for (long latency : micros) {
			buckets[PickupBuckets.index(latency)]++;
		}
		return buckets;
	}

	/**
	 * A clock the test moves, read by several threads.
	 */
	static final class MovableClock extends Clock {

		private volatile Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		synchronized void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
