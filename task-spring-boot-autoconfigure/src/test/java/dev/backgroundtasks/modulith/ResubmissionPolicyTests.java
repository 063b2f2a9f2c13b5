package dev.backgroundtasks.modulith;

import java.time.Duration;
import java.time.Instant;

import dev.backgroundtasks.modulith.ResubmissionPolicy.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.modulith.events.EventPublication.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ResubmissionPolicy}: backoff, exhaustion and publications taken for lost.
 */
class ResubmissionPolicyTests {

	private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

	private final ResubmissionPolicy policy = new ResubmissionPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10),
			5, Duration.ofMinutes(10));

	@ParameterizedTest(name = "after {0} resubmissions: {1}")
	@CsvSource({ "0, PT30S", "1, PT1M", "2, PT2M", "3, PT4M", "4, PT8M", "5, PT10M", "40, PT10M", "2147483647, PT10M" })
	void backoffDoublesFromTheMinimumUpToTheMaximum(int resubmissions, Duration expected) {
		assertThat(this.policy.backoff(resubmissions)).isEqualTo(expected);
	}

	@Test
	void aFailedPublicationWaitsForItsBackoffSinceItsLastDelivery() {
		// Two resubmissions so far: the third comes 2 minutes after the second.
		Instant lastDelivery = NOW.minusSeconds(119);
		assertThat(this.policy.decide(TestPublication.failed(3, lastDelivery), NOW)).isEqualTo(Decision.BACKING_OFF);
		assertThat(this.policy.decide(TestPublication.failed(3, NOW.minusSeconds(120)), NOW))
			.isEqualTo(Decision.RESUBMIT);
	}

	@Test
	void theFirstResubmissionWaitsTheMinimumDelaySincePublication() {
		TestPublication justFailed = new TestPublication(Status.FAILED, 1, NOW.minusSeconds(29), NOW.minusSeconds(29));
		TestPublication failedAWhileAgo = new TestPublication(Status.FAILED, 1, NOW.minusSeconds(30), null);
		assertThat(this.policy.decide(justFailed, NOW)).isEqualTo(Decision.BACKING_OFF);
		assertThat(this.policy.decide(failedAWhileAgo, NOW)).isEqualTo(Decision.RESUBMIT);
	}

	@Test
	void aPublicationResubmittedAsOftenAsAllowedIsLeftForAnOperator() {
		assertThat(this.policy.decide(TestPublication.failed(5, NOW.minus(Duration.ofDays(1))), NOW))
			.isEqualTo(Decision.RESUBMIT);
		assertThat(this.policy.decide(TestPublication.failed(6, NOW.minus(Duration.ofDays(1))), NOW))
			.isEqualTo(Decision.EXHAUSTED);
	}

	@Test
	void publicationsBeingDeliveredAreLeftAloneUntilTheyAreStale() {
		for (Status status : new Status[] { Status.PUBLISHED, Status.PROCESSING }) {
			TestPublication recent = new TestPublication(status, 1, NOW.minus(Duration.ofMinutes(9)), null);
			TestPublication stale = new TestPublication(status, 1, NOW.minus(Duration.ofMinutes(10)), null);
			assertThat(this.policy.decide(recent, NOW)).as("recent %s", status).isEqualTo(Decision.IN_FLIGHT);
			assertThat(this.policy.decide(stale, NOW)).as("stale %s", status).isEqualTo(Decision.RESUBMIT);
		}
	}

	@Test
	void stalenessCountsFromTheLastResubmission() {
		TestPublication resubmittedRecently = new TestPublication(Status.PROCESSING, 2, NOW.minus(Duration.ofHours(1)),
				NOW.minus(Duration.ofMinutes(1)));
		assertThat(this.policy.decide(resubmittedRecently, NOW)).isEqualTo(Decision.IN_FLIGHT);
	}

	@Test
	void aStalePublicationResubmittedAsOftenAsAllowedIsLeftForAnOperator() {
		TestPublication stale = new TestPublication(Status.PROCESSING, 6, NOW.minus(Duration.ofDays(2)),
				NOW.minus(Duration.ofDays(1)));
		assertThat(this.policy.decide(stale, NOW)).isEqualTo(Decision.EXHAUSTED);
	}

	@Test
	void withoutStalenessPublicationsBeingDeliveredAreNeverResubmitted() {
		ResubmissionPolicy neverStale = new ResubmissionPolicy(Duration.ofSeconds(30), Duration.ofMinutes(10), 5,
				Duration.ZERO);
		TestPublication old = new TestPublication(Status.PUBLISHED, 1, NOW.minus(Duration.ofDays(30)), null);
		assertThat(neverStale.decide(old, NOW)).isEqualTo(Decision.IN_FLIGHT);
	}

	@Test
	void aPublicationResubmittedRightNowIsInFlight() {
		// The registry refuses to resubmit it again (status RESUBMITTED), whatever its age.
		TestPublication resubmitted = new TestPublication(Status.RESUBMITTED, 2, NOW.minus(Duration.ofDays(30)),
				NOW.minus(Duration.ofDays(29)));
		assertThat(this.policy.decide(resubmitted, NOW)).isEqualTo(Decision.IN_FLIGHT);
	}

	@Test
	void rejectsSettingsThatMakeNoSense() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ResubmissionPolicy(Duration.ZERO, Duration.ofMinutes(1), 1, Duration.ZERO))
			.withMessageContaining("minDelay");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ResubmissionPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1), 1, Duration.ZERO))
			.withMessageContaining("maxDelay");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ResubmissionPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), -1, Duration.ZERO))
			.withMessageContaining("maxResubmissions");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ResubmissionPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 1,
					Duration.ofSeconds(-1)))
			.withMessageContaining("staleAfter");
	}

}
