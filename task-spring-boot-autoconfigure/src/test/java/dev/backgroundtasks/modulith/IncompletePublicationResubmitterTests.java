package dev.backgroundtasks.modulith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IncompletePublicationResubmitter}: what one run hands to the registry and what its
 * result counts.
 */
class IncompletePublicationResubmitterTests {

	private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

	private static final ResubmissionPolicy POLICY = new ResubmissionPolicy(Duration.ofSeconds(30),
			Duration.ofMinutes(10), 3, Duration.ofMinutes(10));

	private final RecordingPublications publications = new RecordingPublications();

	@Test
	void resubmitsWhatIsDueAndCountsTheRest() {
		TestPublication due = TestPublication.failed(1, NOW.minusSeconds(60));
		TestPublication backingOff = TestPublication.failed(2, NOW.minusSeconds(10));
		TestPublication inFlight = new TestPublication(Status.PROCESSING, 1, NOW.minusSeconds(5), null);
		TestPublication exhausted = TestPublication.failed(4, NOW.minus(Duration.ofDays(1)));
		this.publications.incomplete.addAll(List.of(due, backingOff, inFlight, exhausted));
		assertThat(resubmitter(100).resubmit()).containsExactly(entry("resubmitted", 1), entry("deferred", 0),
				entry("backingOff", 1), entry("inFlight", 1), entry("exhausted", 1));
		assertThat(this.publications.resubmitted).containsExactly(due);
	}

	@Test
	void resubmitsAtMostTheBatchSizeAndDefersTheRest() {
		for (int i = 0; i < 5; i++) {
			this.publications.incomplete.add(TestPublication.failed(1, NOW.minusSeconds(60 + i)));
		}
		assertThat(resubmitter(2).resubmit()).containsEntry("resubmitted", 2).containsEntry("deferred", 3);
		assertThat(this.publications.resubmitted).containsExactlyElementsOf(this.publications.incomplete.subList(0, 2));
	}

	@Test
	void anExhaustedPublicationDoesNotHoldUpTheOnesBehindIt() {
		for (int i = 0; i < 3; i++) {
			this.publications.incomplete.add(TestPublication.failed(4, NOW.minus(Duration.ofDays(1 + i))));
		}
		TestPublication due = TestPublication.failed(1, NOW.minusSeconds(60));
		this.publications.incomplete.add(due);
		assertThat(resubmitter(1).resubmit()).containsEntry("resubmitted", 1).containsEntry("exhausted", 3);
		assertThat(this.publications.resubmitted).containsExactly(due);
	}

	@Test
	void rejectsABatchSizeBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> resubmitter(0)).withMessageContaining("batchSize");
	}

	private IncompletePublicationResubmitter resubmitter(int batchSize) {
		return new IncompletePublicationResubmitter(this.publications, POLICY, batchSize,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static Map.Entry<String, Integer> entry(String key, int value) {
		return Map.entry(key, value);
	}

	/**
	 * Applies the filter as Modulith does: to every incomplete publication, in order.
	 */
	static class RecordingPublications implements IncompleteEventPublications {

		final List<EventPublication> incomplete = new ArrayList<>();

		final List<EventPublication> resubmitted = new ArrayList<>();

		@Override
		public void resubmitIncompletePublications(Predicate<EventPublication> filter) {
			this.incomplete.stream().filter(filter).forEach(this.resubmitted::add);
		}

		@Override
		public void resubmitIncompletePublicationsOlderThan(Duration duration) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void resubmitIncompletePublications(ResubmissionOptions options) {
			throw new UnsupportedOperationException();
		}

	}

}
