package dev.backgroundtasks.execution;

import java.util.Map;
import java.util.Set;

import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveWorkers#unclaimable}: the {@code READY} counts of the tasks no live worker knows.
 */
class LiveWorkersTests {

	private static final Map<String, Map<TaskStatus, Long>> COUNTS = Map.of("known",
			Map.of(TaskStatus.READY, 4L, TaskStatus.RUNNING, 1L), "unknown", Map.of(TaskStatus.READY, 3L),
			"running-only", Map.of(TaskStatus.RUNNING, 2L), "zero", Map.of(TaskStatus.READY, 0L));

	@Test
	void listsTheReadyExecutionsOfTasksNoLiveWorkerKnows() {
		UnclaimableExecutions unclaimable = new LiveWorkers(2, Set.of("known")).unclaimable(COUNTS);
		assertThat(unclaimable.liveWorkers()).isEqualTo(2);
		assertThat(unclaimable.tasks()).containsExactly(Map.entry("unknown", 3L));
	}

	@Test
	void listsEveryReadyTaskWhenNoWorkerIsLive() {
		UnclaimableExecutions unclaimable = new LiveWorkers(0, Set.of()).unclaimable(COUNTS);
		assertThat(unclaimable.liveWorkers()).isZero();
		assertThat(unclaimable.tasks()).containsExactly(Map.entry("known", 4L), Map.entry("unknown", 3L));
	}

	@Test
	void listsNothingWhenEveryTaskIsKnown() {
		assertThat(new LiveWorkers(1, Set.of("known", "unknown")).unclaimable(COUNTS).tasks()).isEmpty();
	}

}
