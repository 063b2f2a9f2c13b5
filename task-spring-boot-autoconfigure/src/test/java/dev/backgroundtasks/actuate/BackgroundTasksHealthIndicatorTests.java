package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStatistics.Backlog;
import dev.backgroundtasks.execution.LiveWorkers;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.support.EngineThreads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link BackgroundTasksHealthIndicator} over given counts: executions no live node can claim are a
 * detail, a dead engine thread turns the health {@code DOWN}.
 */
class BackgroundTasksHealthIndicatorTests {

	private final ExecutionStatistics statistics = mock(ExecutionStatistics.class);

	private final EngineThreads engineThreads = new EngineThreads();

	private final BackgroundTasksHealthIndicator health = new BackgroundTasksHealthIndicator(this.statistics,
			() -> new LiveWorkers(1, Set.of("x")), this.engineThreads, "node-1", null, null);

	@BeforeEach
	void counts() {
		probe(new Backlog(Duration.ofSeconds(2), 0), Map.of("x", Map.of(TaskStatus.READY, 5L), "y",
				Map.of(TaskStatus.READY, 3L, TaskStatus.RUNNING, 1L)));
	}

	@Test
	void isUpWithTheUnclaimableExecutionsInItsDetails() {
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("ready", 8L)
			.containsEntry("running", 1L)
			.containsEntry("unclaimable", new UnclaimableExecutions(1, Map.of("y", 3L)))
			.doesNotContainKeys("deadEngineThreads", "reason", "readyCapped", "runningCapped");
	}

	@Test
	void reportsCountsPastItsCapAsCapped() {
		// The statistics read one row more than the cap of a status that has more.
		probe(new Backlog(Duration.ofSeconds(2), 0), Map.of("x", Map.of(TaskStatus.READY, 6_000L), "y",
				Map.of(TaskStatus.READY, 4_001L, TaskStatus.RUNNING, 2L)));
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("ready", 10_000L)
			.containsEntry("readyCapped", true)
			.containsEntry("running", 2L)
			.containsEntry("unclaimable", new UnclaimableExecutions(1, Map.of("y", 4_001L)))
			.doesNotContainKey("runningCapped");
	}

	@Test
	void isDownWhileARegisteredEngineThreadIsDead() throws InterruptedException {
		Thread thread = new Thread(() -> {
		}, "bgt-test-dispatcher");
		EngineThreads.Registration registration = this.engineThreads.register(thread);
		thread.start();
		thread.join(Duration.ofSeconds(20).toMillis());
		Health down = this.health.health(true);
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("deadEngineThreads", List.of("bgt-test-dispatcher"))
			.containsKey("unclaimable");
		assertThat(down.getDetails().get("reason").toString()).contains("bgt-test-dispatcher");
		registration.remove();
		assertThat(this.health.health(true).getStatus()).isEqualTo(Status.UP);
	}

	private void probe(Backlog backlog, Map<String, Map<TaskStatus, Long>> counts) {
		given(this.statistics.probe(BackgroundTasksHealthIndicator.COUNT_CAP))
			.willReturn(new ExecutionStatistics.Probe(backlog, counts));
	}

}
