package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import dev.backgroundtasks.registry.ExecutionPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTests {

	private final ExecutionPolicy policy = new ExecutionPolicy(10, Duration.ofSeconds(10), Duration.ofMinutes(10),
			List.of(), Duration.ZERO, 0);

	@Test
	void doublesFromTheMinimumWithoutJitter() {
		RandomGenerator none = fixed(0);
		assertThat(RetryBackoff.delay(this.policy, 1, none)).isEqualTo(Duration.ofSeconds(10));
		assertThat(RetryBackoff.delay(this.policy, 2, none)).isEqualTo(Duration.ofSeconds(20));
		assertThat(RetryBackoff.delay(this.policy, 3, none)).isEqualTo(Duration.ofSeconds(40));
		assertThat(RetryBackoff.delay(this.policy, 6, none)).isEqualTo(Duration.ofSeconds(320));
		assertThat(RetryBackoff.delay(this.policy, 7, none)).as("640s capped").isEqualTo(Duration.ofMinutes(10));
		assertThat(RetryBackoff.delay(this.policy, 30, none)).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void addsUpToHalfTheBaseAsJitterButNeverPassesTheMaximum() {
		RandomGenerator most = new RandomGenerator() {
			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public long nextLong(long bound) {
				return bound - 1;
			}
		};
		assertThat(RetryBackoff.delay(this.policy, 1, most)).isEqualTo(Duration.ofMillis(15_000));
		assertThat(RetryBackoff.delay(this.policy, 2, most)).isEqualTo(Duration.ofMillis(30_000));
		assertThat(RetryBackoff.delay(this.policy, 30, most)).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void alwaysBetweenMinimumAndMaximum() {
		RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
		for (int attempt = 1; attempt < 40; attempt++) {
			assertThat(RetryBackoff.delay(this.policy, attempt, random)).isBetween(Duration.ofSeconds(10),
					Duration.ofMinutes(10));
		}
	}

	private static RandomGenerator fixed(long value) {
		return new RandomGenerator() {
			@Override
			public long nextLong() {
				return value;
			}

			@Override
			public long nextLong(long bound) {
				return value;
			}
		};
	}

}
