package dev.backgroundtasks.test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.backgroundtasks.test.BackgroundTasksAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A nightly cron, {@code 30 2 * * *} in Europe/Berlin, across both changes of 2027, on the test clock
 * alone: 02:30 does not exist on 28 March (02:00 CET becomes 03:00 CEST) and exists twice on 31 October
 * (03:00 CEST becomes 02:00 CET).
 */
@SpringBootTest(classes = KitTestApplication.class,
		properties = "background-tasks.tasks.kit-new-year.enabled=false")
@BackgroundTasksTest(clock = "2027-03-27T12:00:00Z")
class DaylightSavingTimeTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Autowired
	private BackgroundTasksTester tester;

	@Test
	void theSkippedTimeFiresOnceAtTheEndOfTheGapAndTheRepeatedTimeOnce() {
		this.tester.advanceTo(Instant.parse("2027-03-28T12:00:00Z"));
		// Spring forward: fires once, at 03:00 CEST (01:00Z), right after the gap.
		assertThat(this.tester).succeeded("kit-nightly").withTrigger(TaskTrigger.SCHEDULE).once();
		assertThat(this.tester.executions("kit-nightly")).extracting(Execution::runAt)
			.containsExactly(Instant.parse("2027-03-28T01:00:00Z"));

		this.tester.advanceTo(Instant.parse("2027-11-01T12:00:00Z"));
		List<Execution> nights = this.tester.executions("kit-nightly");
		// One execution a night from 28 March to 1 November, each at 02:30 Berlin time but the first.
		assertThat(nights).hasSize(219);
		assertThat(nights.subList(1, nights.size())).extracting((night) -> night.runAt().atZone(BERLIN).toLocalTime())
			.containsOnly(LocalTime.of(2, 30));
		// Fall back: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET); it fires at the first only.
		assertThat(nights).extracting(Execution::runAt)
			.filteredOn((time) -> time.atZone(BERLIN).toLocalDate().equals(LocalDate.of(2027, 10, 31)))
			.containsExactly(LocalDateTime.of(2027, 10, 31, 0, 30).toInstant(java.time.ZoneOffset.UTC));
		assertThat(this.tester).succeeded("kit-nightly").times(219);
	}

}
