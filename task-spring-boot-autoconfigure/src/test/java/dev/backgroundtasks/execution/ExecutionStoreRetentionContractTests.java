package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retention in {@link ExecutionStore}: executions finished long enough ago in a state are deleted in
 * bounded batches, except the latest execution of each schedule, which the scheduler reads after
 * downtime.
 */
class ExecutionStoreRetentionContractTests extends AbstractExecutionStoreContractTests {

	@Test
	void retentionDeletesOldFinishedExecutionsButTheLatestOfEachSchedule() {
		UUID oldSuccess = finished("SUCCESSFUL", 8, null, null);
		UUID recentSuccess = finished("SUCCESSFUL", 1, null, null);
		UUID oldFailure = finished("FAILED", 8, null, null);
		UUID olderTick = finished("SUCCESSFUL", 9, "every PT1H", "2026-01-01T00:00:00Z");
		UUID latestTick = finished("SUCCESSFUL", 8, "every PT1H", "2026-01-01T01:00:00Z");
		UUID otherSchedulesTick = finished("SUCCESSFUL", 8, "every PT2H", "2026-01-01T00:00:00Z");
		UUID ready = insert();
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 1)).isEqualTo(1);
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 100)).isEqualTo(1);
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 100)).isZero();
		assertThat(this.store.status(oldSuccess)).isNull();
		assertThat(this.store.status(olderTick)).isNull();
		assertThat(this.store.status(latestTick)).as("the latest tick of its schedule").isNotNull();
		assertThat(this.store.status(otherSchedulesTick)).as("the latest tick of another schedule").isNotNull();
		assertThat(this.store.status(recentSuccess)).isNotNull();
		assertThat(this.store.status(oldFailure)).as("another state, another retention").isNotNull();
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.deleteFinished(TaskStatus.FAILED, Duration.ofDays(7), 100)).isEqualTo(1);
		assertThat(this.store.status(oldFailure)).isNull();
	}

	@Test
	void retentionDeletesOnlyFinishedExecutions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.deleteFinished(TaskStatus.READY, Duration.ofDays(7), 100));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.deleteFinished(TaskStatus.RUNNING, Duration.ofDays(7), 100));
	}

	private UUID finished(String status, int daysAgo, String scheduleId, String fireTime) {
		UUID id = insert();
		this.jdbc.update("UPDATE bgt_execution SET status = ?, finished_at = CURRENT_TIMESTAMP - CAST(? AS INTEGER)"
				+ " * INTERVAL '1' DAY, schedule_id = ?, fire_time = ? WHERE id = ?",
				status, daysAgo, scheduleId, (fireTime != null) ? OffsetDateTime.parse(fireTime) : null, id);
		return id;
	}

}
