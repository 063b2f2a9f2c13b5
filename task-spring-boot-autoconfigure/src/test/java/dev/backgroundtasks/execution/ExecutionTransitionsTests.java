package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.backgroundtasks.TaskStatus.CANCELLED;
import static dev.backgroundtasks.TaskStatus.FAILED;
import static dev.backgroundtasks.TaskStatus.READY;
import static dev.backgroundtasks.TaskStatus.RUNNING;
import static dev.backgroundtasks.TaskStatus.SUCCESSFUL;
import static dev.backgroundtasks.TaskStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExecutionTransitions}: every one of the 36 pairs of states.
 */
class ExecutionTransitionsTests {

	/**
	 * The state machine of the design (§5), written out independently of the table under test.
	 */
	private static final Set<Transition> ALLOWED = Set.of(new Transition(READY, RUNNING),
			new Transition(READY, CANCELLED), new Transition(RUNNING, SUCCESSFUL), new Transition(RUNNING, FAILED),
			new Transition(RUNNING, CANCELLED), new Transition(RUNNING, READY), new Transition(WAITING, READY),
			new Transition(WAITING, CANCELLED));

	static Stream<Arguments> allPairs() {
		return Arrays.stream(TaskStatus.values())
			.flatMap((from) -> Arrays.stream(TaskStatus.values()).map((to) -> Arguments.of(from, to)));
	}

	@Test
	void coversEveryPairOfStates() {
		assertThat(allPairs()).hasSize(36);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("allPairs")
	void allowsExactlyTheTransitionsOfTheStateMachine(TaskStatus from, TaskStatus to) {
		boolean expected = ALLOWED.contains(new Transition(from, to));
		assertThat(ExecutionTransitions.isAllowed(from, to)).isEqualTo(expected);
		if (expected) {
			assertThat(ExecutionTransitions.of(from, to)).isEqualTo(new Transition(from, to));
		}
		else {
			assertThatIllegalArgumentException().isThrownBy(() -> ExecutionTransitions.of(from, to))
				.withMessage("No transition from " + from + " to " + to);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("terminalStates")
	void noTransitionLeavesATerminalState(TaskStatus terminal) {
		assertThat(TaskStatus.values()).noneMatch((to) -> ExecutionTransitions.isAllowed(terminal, to));
	}

	static Stream<TaskStatus> terminalStates() {
		return Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal);
	}

	@Test
	void guardMatchesTheSourceStateAndSetAssignsTheTargetState() {
		Transition transition = ExecutionTransitions.of(RUNNING, SUCCESSFUL);
		assertThat(transition.guard()).isEqualTo("status = 'RUNNING'");
		assertThat(transition.set()).isEqualTo("status = 'SUCCESSFUL'");
	}

	@Test
	void retryTransitionGuardsRunningAndSetsReady() {
		Transition transition = ExecutionTransitions.of(RUNNING, READY);
		assertThat(transition.guard()).isEqualTo("status = 'RUNNING'");
		assertThat(transition.set()).isEqualTo("status = 'READY'");
	}

}
