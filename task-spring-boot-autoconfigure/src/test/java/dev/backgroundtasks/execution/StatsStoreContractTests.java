package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.execution.MinuteStatistics.MinuteCounts;
import dev.backgroundtasks.execution.MinuteStatistics.OutcomeCounts;
import dev.backgroundtasks.execution.MinuteStatistics.PickupLatency;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The per-minute statistics in {@code bgt_stats_minute}: {@link JdbcStatsStore} adds each node's counts
 * to its own rows and deletes rows past their retention; {@link MinuteStatistics} sums the rows of all
 * nodes per minute, per task and per pickup bucket, over windows told by the database clock.
 */
class StatsStoreContractTests extends AbstractStoreContractTests {

	private JdbcStatsStore stats;

	private MinuteStatistics reads;

	/** The current minute by the database clock when the test started. */
	private Instant minute;

	@BeforeEach
	void stores() {
		this.stats = new JdbcStatsStore(this.jdbc, this.dialect, this.transactions);
		this.reads = new MinuteStatistics(this.jdbc);
		this.minute = this.stats.databaseTime().truncatedTo(ChronoUnit.MINUTES);
	}

	@Test
	void addsToTheRowOfTheNodeAcrossFlushesAndSumsTheNodesWhenRead() {
		this.stats.add("n1", List.of(outcomes(this.minute, "a", 2, 1, 3, 1, 1)));
		this.stats.add("n1",
				List.of(outcomes(this.minute, "a", 5, 0, 1, 0, 0), outcomes(this.minute, "b", 1, 0, 0, 0, 0)));
		this.stats.add("n2", List.of(outcomes(this.minute, "a", 10, 2, 0, 4, 0)));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_stats_minute", Integer.class))
			.as("one row per minute, node and task")
			.isEqualTo(3);
		Map<String, Object> row = this.jdbc
			.queryForMap("SELECT * FROM bgt_stats_minute WHERE node = 'n1' AND task_name = 'a'");
		assertThat(List.of(row.get("succeeded"), row.get("failed"), row.get("retried"), row.get("cancelled"),
				row.get("timed_out")))
			.map(Number.class::cast)
			.map(Number::longValue)
			.containsExactly(7L, 1L, 4L, 1L, 1L);
		Map<String, OutcomeCounts> perTask = this.reads.perTask(Duration.ofMinutes(10));
		assertThat(perTask).containsExactly(Map.entry("a", new OutcomeCounts(17, 3, 4, 5)),
				Map.entry("b", new OutcomeCounts(1, 0, 0, 0)));
		assertThat(this.reads.perMinute(Duration.ofMinutes(10)))
			.filteredOn((counts) -> counts.minute().equals(this.minute))
			.containsExactly(new MinuteCounts(this.minute, 18, 3, 4, 5));
	}

	@Test
	void perMinuteHasAnEntryForEveryMinuteOfTheWindowUpToTheCurrentOneOldestFirst() {
		this.stats.add("n1", List.of(outcomes(this.minute, "a", 1, 0, 0, 0, 0),
				outcomes(this.minute.minus(2, ChronoUnit.MINUTES), "a", 0, 2, 0, 0, 0),
				outcomes(this.minute.minus(30, ChronoUnit.MINUTES), "a", 100, 0, 0, 0, 0)));
		Instant before = this.stats.databaseTime();
		List<MinuteCounts> perMinute = this.reads.perMinute(Duration.ofMinutes(5));
		Instant after = this.stats.databaseTime();
		assertThat(perMinute).hasSize(5);
		Instant last = perMinute.get(4).minute();
		assertThat(last).as("the current minute by the database clock")
			.isBetween(before.truncatedTo(ChronoUnit.MINUTES), after.truncatedTo(ChronoUnit.MINUTES));
		for (int i = 0; i < 5; i++) {
			assertThat(perMinute.get(i).minute()).isEqualTo(last.minus(4 - i, ChronoUnit.MINUTES));
		}
		// Unless the minute turned since the test started, the rows are in the last and third-last entries.
		if (last.equals(this.minute)) {
			assertThat(perMinute).extracting(MinuteCounts::succeeded).containsExactly(0L, 0L, 0L, 0L, 1L);
			assertThat(perMinute).extracting(MinuteCounts::failed).containsExactly(0L, 0L, 2L, 0L, 0L);
		}
		assertThat(this.reads.perTask(Duration.ofMinutes(5))).as("the row of 30 minutes ago is outside")
			.containsExactly(Map.entry("a", new OutcomeCounts(1, 2, 0, 0)));
		assertThat(this.reads.perMinute(Duration.ofSeconds(90))).as("rounded up to whole minutes").hasSize(2);
		assertThat(this.reads.perMinute(Duration.ofHours(1))).hasSize(60)
			.extracting(MinuteCounts::succeeded)
			.containsOnly(0L, 1L, 100L);
	}

	@Test
	void emptyWindowHasZerosAndNoPercentiles() {
		assertThat(this.reads.perMinute(Duration.ofMinutes(3))).hasSize(3)
			.allSatisfy((row) -> assertThat(row).isEqualTo(new MinuteCounts(row.minute(), 0, 0, 0, 0)));
		assertThat(this.reads.perTask(Duration.ofMinutes(3))).isEmpty();
		assertThat(this.reads.pickupLatency(Duration.ofMinutes(3))).isEqualTo(new PickupLatency(0, null, null, null));
	}

	@Test
	void percentilesAreTheBoundsOfTheBucketsSummedAcrossNodes() {
		// 100 pickups: 90 within 1 ms and one over 5 minutes (400 s) on n1, 6 within 10 ms and 3 within 100 ms on n2.
		long[] n1 = new long[PickupBuckets.COUNT];
		n1[PickupBuckets.index(800)] = 90;
		n1[PickupBuckets.index(400_000_000)] = 1;
		long[] n2 = new long[PickupBuckets.COUNT];
		n2[PickupBuckets.index(7_000)] = 6;
		n2[PickupBuckets.index(80_000)] = 3;
		this.stats.add("n1", List.of(pickups(this.minute, "a", n1, 400_000_000)));
		this.stats.add("n2", List.of(pickups(this.minute.minus(1, ChronoUnit.MINUTES), "b", n2, 80_000)));
		assertThat(this.reads.pickupLatency(Duration.ofMinutes(10))).isEqualTo(new PickupLatency(100,
				Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)));
		// One more pickup over 5 minutes: the 99th percentile is in the open bucket, bounded by the longest.
		long[] more = new long[PickupBuckets.COUNT];
		more[PickupBuckets.index(300_000_001)] = 1;
		this.stats.add("n2", List.of(pickups(this.minute, "a", more, 300_000_001)));
		assertThat(this.reads.pickupLatency(Duration.ofMinutes(10)).p99()).isEqualTo(Duration.ofSeconds(400));
	}

	@Test
	void aPercentileIsTheLongestPickupWhenThatIsBelowTheBucketsBound() {
		long[] buckets = new long[PickupBuckets.COUNT];
		buckets[PickupBuckets.index(3_000)] = 4;
		this.stats.add("n1", List.of(pickups(this.minute, "a", buckets, 4_200)));
		this.stats.add("n2", List.of(pickups(this.minute, "a", buckets, 3_100)));
		assertThat(this.reads.pickupLatency(Duration.ofMinutes(1)))
			.isEqualTo(new PickupLatency(8, Duration.ofNanos(4_200_000), Duration.ofNanos(4_200_000),
					Duration.ofNanos(4_200_000)));
	}

	@Test
	void retentionDeletesTheRowsOfEveryNodeOlderThanIt() {
		this.stats.add("n1", List.of(outcomes(this.minute, "a", 1, 0, 0, 0, 0),
				outcomes(this.minute.minus(3, ChronoUnit.HOURS), "a", 1, 0, 0, 0, 0)));
		this.stats.add("n2", List.of(outcomes(this.minute.minus(2, ChronoUnit.HOURS), "a", 1, 0, 0, 0, 0),
				outcomes(this.minute.minus(30, ChronoUnit.HOURS), "b", 1, 0, 0, 0, 0)));
		assertThat(this.stats.deleteOlderThan(Duration.ofHours(24))).isOne();
		assertThat(this.stats.deleteOlderThan(Duration.ofMinutes(150))).isOne();
		assertThat(this.jdbc.queryForList("SELECT node FROM bgt_stats_minute ORDER BY minute_start", String.class))
			.containsExactly("n2", "n1");
	}

	@Test
	void windowsMustBePositiveAndPerMinuteBounded() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.reads.perMinute(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reads.perTask(Duration.ofMinutes(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reads.pickupLatency(Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.reads.perMinute(MinuteStatistics.MAX_PER_MINUTE.plusMinutes(1)));
	}

	private static MinuteStats outcomes(Instant minute, String task, long succeeded, long failed, long retried,
			long cancelled, long timedOut) {
		return new MinuteStats(minute, task, succeeded, failed, retried, cancelled, timedOut,
				new long[PickupBuckets.COUNT], 0);
	}

	private static MinuteStats pickups(Instant minute, String task, long[] buckets, long maxMicros) {
		return new MinuteStats(minute, task, 0, 0, 0, 0, 0, buckets, maxMicros);
	}

}
