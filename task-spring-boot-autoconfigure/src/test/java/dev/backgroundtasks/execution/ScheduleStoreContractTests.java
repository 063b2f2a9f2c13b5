package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reads of {@link ScheduleStore}: the database's clock, the latest fire time stored for a
 * schedule, whether a fire time is stored, and whether a task has an active execution.
 */
class ScheduleStoreContractTests extends AbstractExecutionStoreContractTests {

	private static final Instant FIRE_TIME = Instant.parse("2026-05-01T10:00:00Z");

	private ScheduleStore schedules;

	@BeforeEach
	void schedules() {
		this.schedules = new JdbcScheduleStore(this.jdbc);
	}

	@Test
	void nowIsTheDatabasesClock() {
		Instant before = databaseNow();
		Instant now = this.schedules.now();
		Instant after = databaseNow();
		assertThat(now).isBetween(before, after);
		assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
	}

	@Test
	void latestFireTimeIsTheLatestStoredForTheTaskAndSchedule() {
		assertThat(this.schedules.latestFireTime("report", "every PT1S")).isNull();
		tick("report", "every PT1S", FIRE_TIME);
		tick("report", "every PT1S", FIRE_TIME.plusSeconds(2));
		tick("report", "every PT1S", FIRE_TIME.plusSeconds(1));
		tick("report", "cron @daily UTC", FIRE_TIME.plusSeconds(60));
		tick("digest", "every PT1S", FIRE_TIME.plusSeconds(60));
		assertThat(this.schedules.latestFireTime("report", "every PT1S")).isEqualTo(FIRE_TIME.plusSeconds(2));
		assertThat(this.schedules.latestFireTime("report", "every PT2S")).isNull();
	}

	@Test
	void latestFireTimeCountsFinishedExecutions() {
		NewExecution tick = tick("report", "every PT1S", FIRE_TIME);
		this.store.complete(this.store.claim(tick.id(), "n1", LEASE), null);
		assertThat(this.schedules.latestFireTime("report", "every PT1S")).isEqualTo(FIRE_TIME);
	}

	@Test
	void existsTellsWhetherTheFireTimeOfTheTaskAndScheduleIsStored() {
		tick("report", "every PT1S", FIRE_TIME);
		assertThat(this.schedules.exists("report", "every PT1S", FIRE_TIME)).isTrue();
		assertThat(this.schedules.exists("report", "every PT1S", FIRE_TIME.plusSeconds(1))).isFalse();
		assertThat(this.schedules.exists("report", "every PT2S", FIRE_TIME)).isFalse();
		assertThat(this.schedules.exists("digest", "every PT1S", FIRE_TIME)).isFalse();
	}

	@Test
	void hasActiveExecutionWhileOneIsReadyOrRunning() {
		assertThat(this.schedules.hasActiveExecution("report")).isFalse();
		NewExecution tick = tick("report", "every PT1S", FIRE_TIME);
		assertThat(this.schedules.hasActiveExecution("report")).as("READY").isTrue();
		ClaimedExecution claim = this.store.claim(tick.id(), "n1", LEASE);
		assertThat(this.schedules.hasActiveExecution("report")).as("RUNNING").isTrue();
		assertThat(this.schedules.hasActiveExecution("digest")).isFalse();
		this.store.complete(claim, null);
		assertThat(this.schedules.hasActiveExecution("report")).as("finished").isFalse();
		// Any execution of the task counts, not only the schedule's.
		this.store.insert(NewExecution.of(ExecutionIds.next(), "report", TaskTrigger.API, "{}"));
		assertThat(this.schedules.hasActiveExecution("report")).as("submitted").isTrue();
	}

	private NewExecution tick(String task, String scheduleId, Instant fireTime) {
		NewExecution tick = NewExecution.scheduled(ExecutionIds.next(), task, scheduleId, fireTime, 1, 0);
		assertThat(this.store.insertScheduled(tick)).isTrue();
		return tick;
	}

	private Instant databaseNow() {
		return this.jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class).toInstant();
	}

}
