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
	void activeCountsAndTheBacklogReadNoMoreThanOneRowPastTheCap() {
		inStatus(TaskStatus.READY, 5);
		inStatus(TaskStatus.RUNNING, 2);
		inStatus(TaskStatus.SUCCESSFUL, 4);
		assertThat(this.statistics.activeCounts(10)).isEqualTo(this.statistics.activeCounts());
		assertThat(sum(this.statistics.activeCounts(10), TaskStatus.READY)).isEqualTo(5);
		assertThat(sum(this.statistics.activeCounts(2), TaskStatus.READY)).as("the cap and one").isEqualTo(3);
		assertThat(sum(this.statistics.activeCounts(2), TaskStatus.RUNNING)).isEqualTo(2);
		assertThat(sum(this.statistics.activeCounts(1), TaskStatus.RUNNING)).isEqualTo(2);
		assertThat(this.statistics.backlog(2).oldestReadyAge()).isNotNull();
		assertThat(this.statistics.backlog(2).expiredLeases()).isEqualTo(this.statistics.backlog().expiredLeases());
		assertThatIllegalArgumentException().isThrownBy(() -> this.statistics.activeCounts(0));
		assertThatIllegalArgumentException().isThrownBy(() -> this.statistics.backlog(0));
	}

	@Test
	void theProbeReadsTheBacklogAndTheActiveCountsAsTheirOwnReadsDo() {
		ExecutionStatistics.Probe empty = this.statistics.probe(10);
		assertThat(empty.activeCounts()).isEmpty();
		assertThat(empty.backlog().oldestReadyAge()).isNull();
		assertThat(empty.backlog().expiredLeases()).isZero();
		inStatus(TaskStatus.READY, 5);
		inStatus(TaskStatus.RUNNING, 2);
		inStatus(TaskStatus.SUCCESSFUL, 4);
		for (long cap : new long[] { 1, 2, 10 }) {
			ExecutionStatistics.Probe probe = this.statistics.probe(cap);
			assertThat(probe.activeCounts()).as("cap %d", cap).isEqualTo(this.statistics.activeCounts(cap));
			assertThat(probe.backlog().oldestReadyAge()).isNotNull();
			assertThat(probe.backlog().expiredLeases()).isEqualTo(this.statistics.backlog(cap).expiredLeases());
		}
		assertThatIllegalArgumentException().isThrownBy(() -> this.statistics.probe(0));
	}

	private static long sum(Map<String, Map<TaskStatus, Long>> counts, TaskStatus status) {
		return counts.values().stream().mapToLong((byStatus) -> byStatus.getOrDefault(status, 0L)).sum();
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
