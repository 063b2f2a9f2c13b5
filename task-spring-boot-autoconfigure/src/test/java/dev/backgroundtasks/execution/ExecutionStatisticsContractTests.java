package dev.backgroundtasks.execution;

import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The counts of {@link ExecutionStatistics} for the dashboard: every status, each capped.
 */
class ExecutionStatisticsContractTests extends AbstractExecutionStoreContractTests {

	private ExecutionStatistics statistics;

	@BeforeEach
	void statistics() {
		this.statistics = new ExecutionStatistics(this.jdbc);
	}

	@Test
	void statusCountsCountEveryStatusUpToTheCap() {
		inStatus(TaskStatus.READY, 3);
		inStatus(TaskStatus.RUNNING, 1);
		inStatus(TaskStatus.SUCCESSFUL, 6);
		inStatus(TaskStatus.FAILED, 2);
		assertThat(this.statistics.statusCounts(100)).containsExactlyInAnyOrderEntriesOf(Map.of(TaskStatus.READY, 3L,
				TaskStatus.RUNNING, 1L, TaskStatus.SUCCESSFUL, 6L, TaskStatus.FAILED, 2L, TaskStatus.CANCELLED, 0L,
				TaskStatus.WAITING, 0L));
		assertThat(this.statistics.statusCounts(3)).containsExactlyInAnyOrderEntriesOf(Map.of(TaskStatus.READY, 3L,
				TaskStatus.RUNNING, 1L, TaskStatus.SUCCESSFUL, 3L, TaskStatus.FAILED, 2L, TaskStatus.CANCELLED, 0L,
				TaskStatus.WAITING, 0L));
		assertThat(this.statistics.statusCounts(0)).containsOnlyKeys(TaskStatus.values())
			.allSatisfy((status, count) -> assertThat(count).isZero());
	}

	@Test
	void statusCountsRefuseANegativeCap() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.statistics.statusCounts(-1));
	}

	private void inStatus(TaskStatus status, int count) {
		for (int i = 0; i < count; i++) {
			UUID id = insert();
			this.jdbc.update("UPDATE bgt_execution SET status = ?, node = 'n1', lease_until = CURRENT_TIMESTAMP,"
					+ " finished_at = CASE WHEN ? THEN CURRENT_TIMESTAMP END WHERE id = ?", status.name(),
					status != TaskStatus.READY && status != TaskStatus.RUNNING, id);
		}
	}

}
