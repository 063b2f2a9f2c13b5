package dev.backgroundtasks.it.app;

import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskSchedule;

import org.springframework.stereotype.Component;

/**
 * Scheduled tasks for the scheduler tests. Their schedules are off ({@code "-"}) unless a test sets
 * the placeholder, so other tests of this application see no scheduled executions.
 */
@Component
public class ScheduledTestTasks {

	/** How many times {@link #everySecond} ran in this JVM. */
	public static final AtomicInteger everySecondRuns = new AtomicInteger();

	@BackgroundTask(name = "every-second")
	@TaskSchedule(every = "${test.schedules.every-second:-}")
	public int everySecond() {
		return everySecondRuns.incrementAndGet();
	}

	@BackgroundTask(name = "catch-up", cron = "${test.schedules.catch-up:-}")
	public String catchUp(@TaskParam(defaultValue = "missed") String label) {
		return label;
	}

	@BackgroundTask(name = "skip-missed", cron = "${test.schedules.skip-missed:-}", misfire = Misfire.SKIP)
	public void skipMissed() {
	}

	/** A real schedule that fires once a year, for the REST view of schedules. */
	@BackgroundTask(name = "new-year-digest", cron = "0 3 1 1 *", zone = "Europe/London", tags = "scheduled")
	public String newYearDigest() {
		return "digest";
	}

}
