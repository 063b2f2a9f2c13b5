package dev.backgroundtasks.worker;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdlePolls}.
 */
class IdlePollsTests {

	@Test
	void looksAgainSoonAfterFindingWorkThenBacksOffToThePollInterval() {
		IdlePolls polls = new IdlePolls(Duration.ofMillis(25), Duration.ofMillis(1000));
		assertThat(polls.afterClaim(3)).isEqualTo(Duration.ofMillis(25));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(50));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(100));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(200));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(400));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(800));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(1000));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofMillis(1000));
		assertThat(polls.afterClaim(1)).as("work again").isEqualTo(Duration.ofMillis(25));
	}

	@Test
	void anIdleStartWaitsThePollInterval() {
		assertThat(new IdlePolls(Duration.ofMillis(25), Duration.ofSeconds(1)).afterClaim(0))
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void theShortestWaitEqualToThePollIntervalMakesEveryWaitThePollInterval() {
		IdlePolls polls = new IdlePolls(Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThat(polls.afterClaim(5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(polls.afterClaim(0)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aShortestWaitAboveThePollIntervalIsThePollInterval() {
		assertThat(new IdlePolls(Duration.ofSeconds(5), Duration.ofMillis(200)).afterClaim(1))
			.isEqualTo(Duration.ofMillis(200));
	}

}
