package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The current or last attempt of an execution, as {@link ExecutionQueries#attempts} derives it from the
 * execution by default (for implementations that keep no past attempts) and from its row.
 */
class ExecutionQueriesAttemptsTests {

	private static final Instant STARTED = Instant.parse("2026-11-22T10:15:30Z");

	private static final Instant FINISHED = STARTED.plusSeconds(2);

	private static final ExecutionError ERROR = new ExecutionError("java.io.IOException", "disk full", "trace");

	@Test
	void aRunningAttemptHasNoErrorThoughTheRowKeepsTheOneOfTheAttemptBefore() {
		assertThat(attempts(execution(TaskStatus.RUNNING, 2, "n1", ERROR)))
			.containsExactly(new ExecutionAttempt(2, "n1", STARTED, null, Outcome.RUNNING, null));
	}

	@Test
	void aFinishedExecutionEndsWithTheOutcomeOfItsLastAttempt() {
		assertThat(attempts(execution(TaskStatus.SUCCESSFUL, 1, "n1", null)))
			.containsExactly(new ExecutionAttempt(1, "n1", STARTED, FINISHED, Outcome.SUCCEEDED, null));
		assertThat(attempts(execution(TaskStatus.FAILED, 3, "n1", ERROR)))
			.containsExactly(new ExecutionAttempt(3, "n1", STARTED, FINISHED, Outcome.FAILED, ERROR));
		assertThat(attempts(execution(TaskStatus.CANCELLED, 1, "n1", ERROR)))
			.containsExactly(new ExecutionAttempt(1, "n1", STARTED, FINISHED, Outcome.CANCELLED, ERROR));
	}

	@Test
	void aTimeoutAndALostLeaseAreOutcomesOfTheirOwn() {
		ExecutionError timeout = new ExecutionError(TaskTimeoutException.class.getName(), "timed out", "");
		ExecutionError lost = new ExecutionError(LeaseRecovery.LEASE_EXPIRED, "Node n1 stopped heartbeating", "");
		assertThat(attempts(execution(TaskStatus.FAILED, 1, "n1", timeout))).extracting(ExecutionAttempt::outcome)
			.containsExactly(Outcome.TIMED_OUT);
		assertThat(attempts(execution(TaskStatus.FAILED, 1, "n1", lost))).extracting(ExecutionAttempt::outcome)
			.containsExactly(Outcome.LEASE_EXPIRED);
	}

	@Test
	void noAttemptWhileWaitingBeforeStartedOrCancelledWhileWaitingOrUnknown() {
		assertThat(attempts(execution(TaskStatus.READY, 0, null, null))).isEmpty();
		assertThat(attempts(execution(TaskStatus.READY, 1, null, ERROR))).as("its last attempt is past").isEmpty();
		assertThat(attempts(execution(TaskStatus.CANCELLED, 1, null, ERROR))).as("cancelled while waiting").isEmpty();
		assertThat(attempts(execution(TaskStatus.CANCELLED, 0, null, null))).isEmpty();
		assertThat(attempts(null)).isEmpty();
	}

	private static List<ExecutionAttempt> attempts(@Nullable Execution execution) {
		ExecutionQueries queries = new ExecutionQueries() {

			@Override
			public Optional<Execution> find(UUID id) {
				return Optional.ofNullable(execution);
			}

			@Override
			public ExecutionPage page(ExecutionFilter filter, int page, int size) {
				throw new UnsupportedOperationException();
			}

		};
		return queries.attempts(UUID.randomUUID());
	}

	private static Execution execution(TaskStatus status, int attempt, @Nullable String node,
			@Nullable ExecutionError error) {
		boolean finished = status.isTerminal();
		return new Execution(UUID.randomUUID(), "task", status, TaskTrigger.CODE, Map.of(), null, error, attempt, 3, 0,
				null, null, STARTED, STARTED, (attempt > 0) ? STARTED : null, finished ? FINISHED : null, node, false,
				null);
	}

}
