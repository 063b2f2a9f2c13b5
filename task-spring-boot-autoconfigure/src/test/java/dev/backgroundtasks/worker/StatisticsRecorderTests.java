package dev.backgroundtasks.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.MinuteStats;
import dev.backgroundtasks.execution.PickupBuckets;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver.AttemptObservation;
import dev.backgroundtasks.worker.MinuteCountersTests.MovableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link StatisticsRecorder}: what it counts as an observer, and when and what it writes.
 */
class StatisticsRecorderTests {

	private static final Instant NOW = Instant.parse("2026-12-06T10:15:20Z");

	private final MovableClock clock = new MovableClock(NOW);

	private final JdbcStatsStore store = mock(JdbcStatsStore.class);

	private final List<MinuteStats> written = new ArrayList<>();

	private final StatisticsRecorder recorder = new StatisticsRecorder(this.store, "n1", Duration.ofHours(1),
			Duration.ofHours(24), this.clock);

	@BeforeEach
	void databaseClockAsThisNodes() {
		given(this.store.databaseTime()).willAnswer((invocation) -> this.clock.instant());
		willAnswer((invocation) -> this.written.addAll(invocation.getArgument(1))).given(this.store)
			.add(eq("n1"), anyList());
	}

	@Test
	void countsTheOutcomeAndPickupOfEachAttemptAndTheRecoveredOnes() {
		attempt("a", Duration.ofMillis(3)).ended(AttemptOutcome.SUCCESS, null);
		attempt("a", Duration.ofMillis(40)).ended(AttemptOutcome.RETRY, new IllegalStateException());
		this.recorder.recovered("a", TaskStatus.FAILED);
		this.recorder.flush();
		assertThat(this.written).singleElement().satisfies((row) -> {
			assertThat(row.minute()).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
			assertThat(row.task()).isEqualTo("a");
			assertThat(List.of(row.succeeded(), row.failed(), row.retried(), row.cancelled()))
				.containsExactly(1L, 1L, 1L, 0L);
			assertThat(row.pickups()[PickupBuckets.index(3_000)]).isOne();
			assertThat(row.pickups()[PickupBuckets.index(40_000)]).isOne();
			assertThat(row.pickupMaxMicros()).isEqualTo(40_000);
		});
	}

	@Test
	void whatAFlushCouldNotWriteIsWrittenByTheNext() {
		attempt("a", Duration.ofMillis(1)).ended(AttemptOutcome.SUCCESS, null);
		willThrow(new DataAccessResourceFailureException("down")).given(this.store).add(eq("n1"), anyList());
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(this.recorder::flush);
		willAnswer((invocation) -> this.written.addAll(invocation.getArgument(1))).given(this.store)
			.add(eq("n1"), anyList());
		attempt("a", Duration.ofMillis(1)).ended(AttemptOutcome.SUCCESS, null);
		this.recorder.flush();
		assertThat(this.written).singleElement().satisfies((row) -> assertThat(row.succeeded()).isEqualTo(2));
	}

	@Test
	void writesWhatIsLeftWhenItStops() {
		this.recorder.start();
		attempt("a", Duration.ofMillis(1)).ended(AttemptOutcome.CANCELLED, null);
		this.recorder.stop();
		assertThat(this.recorder.isRunning()).isFalse();
		assertThat(this.written).extracting(MinuteStats::cancelled).containsExactly(1L);
	}

	@Test
	void expiresRowsPastTheRetention() {
		given(this.store.deleteOlderThan(any())).willReturn(3);
		assertThat(this.recorder.expire()).isEqualTo(3);
		verify(this.store).deleteOlderThan(Duration.ofHours(24));
	}

	private AttemptObservation attempt(String task, Duration pickup) {
		Instant started = this.clock.instant();
		return this.recorder.attemptStarted(new ClaimedExecution(UUID.randomUUID(), task, "{}", 1, "n1", 3,
				started.minus(pickup), started, null, null));
	}

}
