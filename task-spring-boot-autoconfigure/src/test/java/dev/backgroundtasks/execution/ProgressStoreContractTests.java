package dev.backgroundtasks.execution;

import java.time.Duration;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.ExecutionProgress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link ProgressStore}: progress is written only while the claim it comes with still
 * holds, so an attempt that lost its claim cannot overwrite the progress of a newer one.
 */
class ProgressStoreContractTests extends AbstractExecutionStoreContractTests {

	private ProgressStore progress;

	@BeforeEach
	void progress() {
		this.progress = new JdbcProgressStore(this.jdbc);
	}

	@Test
	void writesProgressOnlyWhileTheClaimHolds() {
		ClaimedExecution first = claimed(2);
		assertThat(this.progress.write(first, ExecutionProgress.of(3, 10, "Reading"))).isTrue();
		assertProgress(first, 3L, 10L, "Reading");
		ClaimedExecution otherNode = new ClaimedExecution(first.id(), first.task(), first.params(), first.attempt(), "n9",
				first.maxAttempts());
		assertThat(this.progress.write(otherNode, ExecutionProgress.of(9, 10, "Other node"))).isFalse();
		this.store.retry(first, new ExecutionError("E", "m", "s"), Duration.ZERO);
		assertThat(this.progress.write(first, ExecutionProgress.of(4, 10, "Not running"))).isFalse();
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(this.progress.write(first, ExecutionProgress.of(5, 10, "Older attempt"))).isFalse();
		assertProgress(first, 3L, 10L, "Reading");
		assertThat(this.progress.write(second, ExecutionProgress.of(1, 20, "Again"))).isTrue();
		assertProgress(second, 1L, 20L, "Again");
		this.store.complete(second, null);
		assertThat(this.progress.write(second, ExecutionProgress.of(20, 20, "Finished"))).isFalse();
		assertProgress(second, 1L, 20L, "Again");
	}

	@Test
	void keepsAnUnknownTotalAndCutsALongMessage() {
		ClaimedExecution claim = claimed(1);
		assertThat(this.progress.write(claim, ExecutionProgress.of(5, 0, "x".repeat(1500)))).isTrue();
		assertProgress(claim, 5L, null, "x".repeat(1000));
		assertThat(this.progress.write(claim, ExecutionProgress.of(6, 0, null))).isTrue();
		assertProgress(claim, 6L, null, null);
	}

	private void assertProgress(ClaimedExecution claim, Long current, Long total, String message) {
		assertThat(row(claim.id())).containsEntry("progress_current", current)
			.containsEntry("progress_total", total)
			.containsEntry("progress_message", message);
	}

}
