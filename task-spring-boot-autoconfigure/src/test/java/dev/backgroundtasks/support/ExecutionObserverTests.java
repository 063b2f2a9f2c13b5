package dev.backgroundtasks.support;

import java.util.ArrayList;
import java.util.List;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionIds;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionObserver#composite}.
 */
class ExecutionObserverTests {

	private final ClaimedExecution claim = new ClaimedExecution(ExecutionIds.next(), "add", "{}", 1, "n", 1);

	@Test
	void noObserversIsTheNoOpObserver() {
		assertThat(ExecutionObserver.composite(List.of())).isSameAs(ExecutionObserver.NONE);
	}

	@Test
	void tellsEveryObserverAndEndsAttemptsInReverseOrder() {
		List<String> calls = new ArrayList<>();
		ExecutionObserver composite = ExecutionObserver.composite(List.of(recording("a", calls), recording("b", calls)));
		composite.submitted("add", TaskTrigger.API);
		composite.attemptStarted(this.claim).ended(AttemptOutcome.SUCCESS, null);
		composite.recovered("add", TaskStatus.READY);
		assertThat(calls).containsExactly("a submitted add API", "b submitted add API", "a started add",
				"b started add", "b ended SUCCESS", "a ended SUCCESS", "a recovered add READY",
				"b recovered add READY");
	}

	@Test
	void theFirstTraceContextWins() {
		ExecutionObserver none = new ExecutionObserver() {
		};
		ExecutionObserver composite = ExecutionObserver.composite(List.of(none, tracing("first"), tracing("second")));
		assertThat(composite.traceContext()).isEqualTo("first");
	}

	@Test
	void anObserverThatThrowsFailsNeitherTheEngineNorTheOthers() {
		List<String> calls = new ArrayList<>();
		ExecutionObserver broken = new ExecutionObserver() {

			@Override
			public void submitted(String task, TaskTrigger trigger) {
				throw new IllegalStateException("broken");
			}

			@Override
			public @Nullable String traceContext() {
				throw new IllegalStateException("broken");
			}

			@Override
			public void recovered(String task, TaskStatus status) {
				throw new IllegalStateException("broken");
			}

			@Override
			public AttemptObservation attemptStarted(ClaimedExecution claim) {
				throw new IllegalStateException("broken");
			}

		};
		ExecutionObserver composite = ExecutionObserver.composite(List.of(broken, recording("ok", calls)));
		composite.submitted("add", TaskTrigger.CODE);
		assertThat(composite.traceContext()).isNull();
		composite.attemptStarted(this.claim).ended(AttemptOutcome.FAILURE, new IllegalStateException());
		composite.recovered("add", TaskStatus.FAILED);
		assertThat(calls).containsExactly("ok submitted add CODE", "ok started add", "ok ended FAILURE",
				"ok recovered add FAILED");
	}

	private static ExecutionObserver tracing(String context) {
		return new ExecutionObserver() {

			@Override
			public String traceContext() {
				return context;
			}

		};
	}

	private static ExecutionObserver recording(String name, List<String> calls) {
		return new ExecutionObserver() {

			@Override
			public void submitted(String task, TaskTrigger trigger) {
				calls.add(name + " submitted " + task + " " + trigger);
			}

			@Override
			public AttemptObservation attemptStarted(ClaimedExecution claim) {
				calls.add(name + " started " + claim.task());
				return (outcome, failure) -> calls.add(name + " ended " + outcome);
			}

			@Override
			public void recovered(String task, TaskStatus status) {
				calls.add(name + " recovered " + task + " " + status);
			}

		};
	}

}
