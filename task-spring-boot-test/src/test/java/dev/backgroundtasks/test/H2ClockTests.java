package dev.backgroundtasks.test;

import java.time.Duration;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test clock on H2 (an in-memory database of the context's own).
 */
@SpringBootTest(classes = KitTestApplication.class)
@BackgroundTasksTest(clock = "2027-01-04T10:00:00Z")
class H2ClockTests extends ClockScenarios {

	/**
	 * What a test creates right after it starts is recorded, even within the millisecond its recording
	 * started in (execution ids hold their creation time to the millisecond).
	 */
	@Test
	void recordsWhatTheTestCreatesInTheMillisecondItsRecordingStarted() {
		for (int i = 0; i < 100; i++) {
			this.tester.startRecording();
			UUID id = this.tasks.task("kit-add").param("a", i).param("b", 0).delay(Duration.ofDays(1)).submit().id();
			assertThat(this.tester.executions()).extracting(Execution::id).as("round %d", i).contains(id);
		}
	}

}
