package dev.backgroundtasks.sample.reports;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.test.BackgroundTasksTest;
import dev.backgroundtasks.test.BackgroundTasksTester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.backgroundtasks.test.BackgroundTasksAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sales report's schedule, {@code 0 9 * * 1-5} in Europe/London, across the change to summer time on
 * Sunday 28 March 2027, on the test clock: no real waiting. The clock starts on Thursday 25 March at noon
 * UTC; the 30-second heartbeat is switched off, so the clock stops at the nightly and weekday fire times
 * only.
 */
@SpringBootTest(properties = { "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1",
		"background-tasks.tasks.heartbeat.enabled=false" })
@BackgroundTasksTest(clock = "2027-03-25T12:00:00Z")
class SalesReportScheduleTests {

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	@Autowired
	private BackgroundTasksTester tester;

	@Test
	void runsAtNineLondonTimeOnWeekdaysAcrossTheChangeToSummerTime() {
		this.tester.advanceTo(Instant.parse("2027-03-30T12:00:00Z"));

		assertThat(this.tester).succeeded("sales-report").withTrigger(TaskTrigger.SCHEDULE).times(3);
		// Friday at 09:00 GMT, nothing at the weekend, then Monday and Tuesday at 09:00 BST (08:00 UTC).
		assertThat(this.tester.executions("sales-report")).extracting(Execution::runAt)
			.containsExactly(Instant.parse("2027-03-26T09:00:00Z"), Instant.parse("2027-03-29T08:00:00Z"),
					Instant.parse("2027-03-30T08:00:00Z"));
		assertThat(this.tester.executions("sales-report"))
			.extracting((report) -> report.runAt().atZone(LONDON).toLocalTime())
			.containsOnly(LocalTime.of(9, 0));
		// The nightly clean-up (03:00 UTC) ran on each of the five nights.
		assertThat(this.tester).succeeded("clean-up").times(5);
	}

	@Test
	void runNowFiresTheScheduleWithoutWaitingForNineOClock() {
		this.tester.runNow("sales-report");
		assertThat(this.tester).succeeded("sales-report").withTrigger(TaskTrigger.SCHEDULE).once();
	}

}
