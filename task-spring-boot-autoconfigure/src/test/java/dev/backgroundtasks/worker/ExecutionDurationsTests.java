package dev.backgroundtasks.worker;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionDurations}.
 */
class ExecutionDurationsTests {

	private final ExecutionDurations durations = new ExecutionDurations();

	@Test
	void claimsTheWholePrefetchUntilAnExecutionHasFinished() {
		assertThat(this.durations.prefetch(8, 100)).isEqualTo(100);
		assertThat(this.durations.prefetch(8, 0)).isZero();
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
			this.durations.record(duration.toNanos());
		}
	}

}
