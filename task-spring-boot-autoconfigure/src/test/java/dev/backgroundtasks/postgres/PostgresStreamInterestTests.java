package dev.backgroundtasks.postgres;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a node sends its events to the cluster, judged from what it heard on the stream channel, on a
 * clock the test moves.
 */
class PostgresStreamInterestTests {

	private final AtomicLong now = new AtomicLong(-TimeUnit.HOURS.toNanos(1));

	private final AtomicInteger answers = new AtomicInteger();

	private final AtomicInteger forgotten = new AtomicInteger();

	private final PostgresStreamInterest interest = new PostgresStreamInterest(null, null, this.now::get,
			this.answers::incrementAndGet, this.forgotten::incrementAndGet);

	@Test
	void nodeThatHearsNothingOfTheChannelAlwaysSends() {
		assertThat(this.interest.wanted()).isTrue();
		advance(3600);
		assertThat(this.interest.wanted()).isTrue();
	}

	@Test
	void listeningGrantsAGracePeriodThenOnlyAnnouncementsCount() {
		this.interest.listening();
		assertThat(this.interest.wanted()).isTrue();
		advance(1.9);
		assertThat(this.interest.wanted()).isTrue();
		advance(0.2);
		assertThat(this.interest.wanted()).isFalse();
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		assertThat(this.interest.wanted()).isTrue();
		advance(29.9);
		assertThat(this.interest.wanted()).isTrue();
		advance(0.2);
		assertThat(this.interest.wanted()).isFalse();
	}

	@Test
	void listeningWithNoOtherNodeKnownGrantsNoGracePeriod() {
		this.interest.listening(false);
		assertThat(this.interest.wanted()).isFalse();
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		assertThat(this.interest.wanted()).isTrue();
		advance(30.1);
		assertThat(this.interest.wanted()).isFalse();
	}

	@Test
	void reconnectingDoesNotShortenAnAnnouncement() {
		this.interest.listening();
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		advance(10);
		this.interest.listening();
		advance(15);
		assertThat(this.interest.wanted()).isTrue();
	}

	@Test
	void questionsAreAnsweredByTheHook() {
		this.interest.received(PostgresStreamInterest.ASKED);
		this.interest.received("something else");
		assertThat(this.answers).hasValue(1);
	}

	@Test
	void anAnnouncementAfterALapseForgetsWhatWasKeptForReplay() {
		assertThat(this.interest.lapsed()).isTrue();
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		assertThat(this.forgotten).as("first announcement: nothing before it was sent for sure").hasValue(1);
		advance(10);
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		advance(10);
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		assertThat(this.forgotten).as("announced every 10 s: no gap").hasValue(1);
		advance(21);
		assertThat(this.interest.lapsed()).isTrue();
		this.interest.received(PostgresStreamInterest.ANNOUNCED);
		assertThat(this.forgotten).hasValue(2);
	}

	@Test
	void ownAnnouncementsTakeEffectHereAndAreDueEveryTenSeconds() {
		this.interest.listening();
		advance(5);
		assertThat(this.interest.wanted()).isFalse();
		assertThat(this.interest.announcementDue()).as("never announced").isTrue();
		this.interest.announce();
		assertThat(this.interest.wanted()).isTrue();
		advance(9.9);
		assertThat(this.interest.announcementDue()).isFalse();
		advance(0.2);
		assertThat(this.interest.announcementDue()).isTrue();
	}

	private void advance(double seconds) {
		this.now.addAndGet((long) (seconds * 1e9));
	}

}
