package dev.backgroundtasks.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.test.KitTestApplication.KitTasks;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.backgroundtasks.test.BackgroundTasksAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The test clock and the tester on one database, run per database by the subclasses. The clock starts on
 * 2027-01-04T10:00:00Z, a Monday; no schedule of the application fires within the hours these tests move.
 */
abstract class ClockScenarios {

	static final Instant START = Instant.parse("2027-01-04T10:00:00Z");

	@Autowired
	BackgroundTasksTester tester;

	@Autowired
	TaskClient tasks;

	@Autowired
	ScheduleStore schedules;

	@Autowired
	KitTasks kitTasks;

	@Test
	void theEngineReadsTheTestClockAsTheDatabaseTime() {
		assertThat(this.tester.now()).isAfterOrEqualTo(START);
		assertThat(this.schedules.now()).isEqualTo(this.tester.now());
		Instant before = this.tester.now();
		this.tester.advance(Duration.ofMinutes(5));
		assertThat(this.tester.now()).isEqualTo(before.plus(Duration.ofMinutes(5)));
		assertThat(this.schedules.now()).isEqualTo(this.tester.now());
	}

	@Test
	void aRetryRunsOnceTheClockPassesItsDelay() {
		TaskHandle handle = this.tasks.submit("kit-flaky", Map.of("key", "retry-" + System.nanoTime()));
		this.tester.awaitIdle();
		Execution waiting = handle.execution();
		assertThat(waiting.status()).isEqualTo(TaskStatus.READY);
		assertThat(waiting.attempt()).isEqualTo(1);
		// The first retry waits the minimum delay plus up to half of it again (jitter): 10 to 15 minutes.
		assertThat(waiting.runAt()).isBetween(this.tester.now().plus(Duration.ofMinutes(10)),
				this.tester.now().plus(Duration.ofMinutes(15)));

		this.tester.advance(Duration.ofMinutes(9));
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);

		this.tester.advance(Duration.ofMinutes(6));
		assertThat(this.tester).succeeded("kit-flaky").withAttempts(2).once();
	}

	@Test
	void retriesRunAtTheirDueTimesWithinOneAdvance() {
		Instant start = this.tester.now();
		TaskHandle handle = this.tasks.submit("kit-twice", Map.of("key", "twice-" + System.nanoTime()));
		this.tester.advance(Duration.ofHours(2));
		Execution done = assertThat(this.tester).succeeded("kit-twice").withAttempts(3).single();
		// The third attempt ran when it became due (10 to 15 minutes, then 20 to 30 more), not at the end.
		assertThat(done.startedAt()).isEqualTo(done.runAt()).isBetween(start.plus(Duration.ofMinutes(30)),
				start.plus(Duration.ofMinutes(45)));
		assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
	}

	@Test
	void aDelayedSubmissionRunsOnceTheClockReachesIt() {
		TaskHandle handle = this.tasks.task("kit-add").param("a", 1).param("b", 2).delay(Duration.ofHours(1)).submit();
		this.tester.awaitIdle();
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);
		this.tester.advance(Duration.ofMinutes(59));
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);
		this.tester.advance(Duration.ofMinutes(1));
		assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.tester).succeeded("kit-add").withParams(Map.of("a", 1, "b", 2)).once();
	}

	@Test
	void aDependentWaitsForItsDelayedParentAndRunsRightAfterIt() {
		TaskHandle parent = this.tasks.task("kit-add").param("a", 2).param("b", 3).delay(Duration.ofHours(1)).submit();
		TaskHandle child = this.tasks.task("kit-add").param("a", 3).param("b", 4).after(parent.id()).submit();
		this.tester.awaitIdle();
		assertThat(child.status()).as("its parent is not due: idle, still waiting").isEqualTo(TaskStatus.WAITING);
		this.tester.advance(Duration.ofHours(1));
		assertThat(parent.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(child.status()).as("released and run within the same advance").isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(child.execution().startedAt()).isAfterOrEqualTo(parent.execution().finishedAt());
	}

	@Test
	void runNowFiresAScheduleAtTheCurrentTime() {
		TaskHandle handle = this.tester.runNow("kit-new-year");
		assertThat(this.tester).succeeded("kit-new-year").withTrigger(TaskTrigger.SCHEDULE).once();
		assertThat(handle.execution().runAt()).isEqualTo(this.tester.now());
		assertThatIllegalArgumentException().isThrownBy(() -> this.tester.runNow("kit-add"))
			.withMessageContaining("Task 'kit-add' has no schedule");
	}

	@Test
	void assertionsOnOutcomesAndErrors() {
		this.tasks.submit("kit-add", Map.of("a", 20, "b", 22));
		this.tasks.submit("kit-broken");
		assertThat(this.tester).submitted("kit-add").withParam("a", 20).once();
		assertThat(this.tester).succeeded("kit-add").withParams(Map.of("a", 20, "b", 22)).once();
		assertThat(this.tester).failed("kit-broken")
			.withError(IllegalArgumentException.class)
			.withError(RuntimeException.class)
			.withErrorMessage("The order is broken")
			.withAttempts(1);
		assertThat(this.tester).completed("kit-broken").once();
		assertThat(this.tester).didNotSubmit("kit-flaky");
	}

	@Test
	void aFailingAssertionSaysWhatItExpectedAndWhatTheTestRan() {
		this.tasks.submit("kit-add", Map.of("a", 1, "b", 2));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.tester).succeeded("kit-add").withParams(Map.of("a", 3, "b", 4)))
			.withMessageContaining("Expected an execution of task 'kit-add' that succeeded, with params {")
			.withMessageContaining("since the test started, but found none")
			.withMessageContaining("'kit-add' SUCCESSFUL (CODE) params {")
			.withMessageContaining("a=1");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.tester).failed("kit-add"))
			.withMessageContaining("Expected an execution of task 'kit-add' that failed since the test started")
			.withMessageContaining("but found only:");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.tester).succeeded("kit-add").times(2))
			.withMessageContaining("Expected 2 executions of task 'kit-add' that succeeded since the test started,"
					+ " but found 1");
	}

	@Test
	void awaitIdleNamesWhatIsStillBusy() {
		this.kitTasks.gate = new CountDownLatch(1);
		try {
			TaskHandle handle = this.tasks.submit("kit-gated");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.tester.awaitIdle(KitTestApplication.shortWhile()))
				.withMessageContaining("Background tasks were not idle within PT0.3S")
				.withMessageContaining("still busy: 'kit-gated' ")
				.withMessageContaining(handle.id().toString());
		}
		finally {
			this.kitTasks.gate.countDown();
		}
		this.tester.awaitIdle();
		assertThat(this.tester).succeeded("kit-gated").once();
	}

	@Test
	void theClockOnlyMovesForward() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.tester.advanceTo(this.tester.now().minusSeconds(1)))
			.withMessageContaining("The test clock only moves forward");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tester.advance(Duration.ofSeconds(-1)))
			.withMessageContaining("The test clock only moves forward");
	}

}
