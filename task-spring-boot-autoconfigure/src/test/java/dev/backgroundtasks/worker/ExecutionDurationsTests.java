package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionDurations}.
 */
class ExecutionDurationsTests {

	private final ExecutionDurations durations = new ExecutionDurations();

	@Test
	void claimsNothingAheadUntilAnExecutionHasFinished() {
		assertThat(this.durations.prefetch(8, 100)).as("a node that just started claims for its threads only").isZero();
		assertThat(this.durations.prefetch(8, 0)).isZero();
		assertThat(this.durations.prefetchable(8, Set.of("short", "long"))).isEmpty();
	}

	@Test
	void onlyTasksTimedShortHereAreClaimedAhead() {
		this.durations.record("short", Duration.ofMillis(5).toNanos());
		this.durations.record("long", Duration.ofMinutes(10).toNanos());
		assertThat(this.durations.prefetchable(8, Set.of("short", "long", "untimed"))).containsExactly("short");
	}

	@Test
	void shortExecutionsUseTheWholePrefetch() {
		record(Duration.ofNanos(50_000), 20);
		assertThat(this.durations.prefetch(8, 100)).isEqualTo(100);
	}

	@Test
	void claimsAheadWhatTheThreadsStartWithinTheHorizon() {
		record(Duration.ofMillis(20), 20);
		// 8 threads, 20 ms each: 40 start within 100 ms.
		assertThat(this.durations.prefetch(8, 100)).isEqualTo(40);
	}

	@Test
	void longExecutionsAreNotClaimedAhead() {
		record(Duration.ofSeconds(2), 1);
		assertThat(this.durations.prefetch(8, 100)).isZero();
	}

	@Test
	void theAverageFollowsAChangeOfWorkload() {
		record(Duration.ofSeconds(1), 20);
		assertThat(this.durations.prefetch(8, 100)).isZero();
		record(Duration.ofNanos(10_000), 200);
		assertThat(this.durations.prefetch(8, 100)).isEqualTo(100);
	}

	private void record(Duration duration, int times) {
		for (int i = 0; i < times; i++) {
			this.durations.record("task", duration.toNanos());
		}
	}

}
