package dev.backgroundtasks.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.execution.TaskStateStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskOverrides;
import dev.backgroundtasks.registry.TaskParameter;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ExecutionObserver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link ExecutionCommands}, with a mocked store and queries.
 */
class ExecutionCommandsTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final ExecutionStore store = mock(ExecutionStore.class);

	private final ExecutionQueries queries = mock(ExecutionQueries.class);

	private final TaskStateStore taskStates = mock(TaskStateStore.class);

	private final DefaultTaskRegistry registry = new DefaultTaskRegistry();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final List<UUID> dispatched = new CopyOnWriteArrayList<>();

	private final List<String> submitted = new CopyOnWriteArrayList<>();

	private final ExecutionObserver observer = new ExecutionObserver() {

		@Override
		public void submitted(String task, TaskTrigger trigger) {
			ExecutionCommandsTests.this.submitted.add(task + " " + trigger);
		}

	};

	private final ExecutionCommands commands = commands((id) -> this.dispatched.add(id), 0);

	@BeforeEach
	void registerTasks() {
		this.registry.register(new TaskDefinition("resize", "", List.of(), "test", "resize(int width, String name)",
				List.of(parameter("width", int.class, true), parameter("name", String.class, false)), null, false,
				new ExecutionPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(), Duration.ZERO, 0),
				(arguments) -> null));
		this.registry.register(new TaskDefinition("paused", "", List.of(), "test", "paused()", List.of(), null, false,
				ExecutionPolicy.UNDECLARED, (arguments) -> null));
		this.registry.register(new TaskDefinition("limited", "", List.of(), "test", "limited()", List.of(), null,
				false, new ExecutionPolicy(1, Duration.ZERO, Duration.ZERO, List.of(), Duration.ZERO, 2),
				(arguments) -> null));
		given(this.taskStates.disabledTasks()).willReturn(Set.of("paused"));
		given(this.store.insert(any())).willAnswer((invocation) -> invocation.<NewExecution>getArgument(0).id());
	}

	@Test
	void submitStoresAValidatedExecutionAndDispatchesIt() {
		Submission submission = new Submission("resize", params(Map.of("width", 640)), TaskTrigger.API, 7, null,
				Duration.ofMinutes(1), null, null);
		SubmitResult result = this.commands.submit(submission);
		NewExecution stored = inserted();
		assertThat(result).isEqualTo(new SubmitResult(stored.id(), true));
		assertThat(stored.task()).isEqualTo("resize");
		assertThat(stored.trigger()).isEqualTo(TaskTrigger.API);
		assertThat(stored.params()).isEqualTo("{\"width\":640}");
		assertThat(stored.maxAttempts()).isEqualTo(4);
		assertThat(stored.maxConcurrency()).isZero();
		assertThat(stored.priority()).isEqualTo(7);
		assertThat(stored.delay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.dispatched).containsExactly(stored.id());
		assertThat(this.submitted).containsExactly("resize API");
	}

	@Test
	void submitStoresTheConcurrencyLimitOfTheTask() {
		this.commands.submit(Submission.of("limited", params(Map.of()), TaskTrigger.CODE));
		NewExecution stored = inserted();
		assertThat(stored.maxConcurrency()).isEqualTo(2);
		assertThat(stored.params()).isEqualTo("{}");
	}

	@Test
	void submitOfAnUnknownTaskStoresNothing() {
		assertThatExceptionOfType(UnknownTaskException.class)
			.isThrownBy(() -> this.commands.submit(Submission.of("missing", params(Map.of()), TaskTrigger.CODE)))
			.satisfies((ex) -> assertThat(ex.getTask()).isEqualTo("missing"));
		assertNothingStored();
	}

	@Test
	void submitWithInvalidParamsNamesEveryProblemAndStoresNothing() {
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.commands
				.submit(Submission.of("resize", params(Map.of("width", "wide", "depth", 3)), TaskTrigger.API)))
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactlyInAnyOrder("width", "depth"));
		assertNothingStored();
	}

	@Test
	void submitOfADisabledTaskStoresNothing() {
		assertThatExceptionOfType(TaskDisabledException.class)
			.isThrownBy(() -> this.commands.submit(Submission.of("paused", params(Map.of()), TaskTrigger.API)))
			.satisfies((ex) -> assertThat(ex.getTask()).isEqualTo("paused"));
		assertNothingStored();
	}

	@Test
	void submitBeyondTheQueueCapacityIsRefused() {
		ExecutionCommands commands = commands((id) -> this.dispatched.add(id), 2);
		given(this.store.countReady()).willAnswer((invocation) -> (long) this.dispatched.size());
		commands.submit(Submission.of("resize", params(Map.of("width", 1)), TaskTrigger.CODE));
		commands.submit(Submission.of("resize", params(Map.of("width", 2)), TaskTrigger.CODE));
		assertThatExceptionOfType(QueueFullException.class)
			.isThrownBy(() -> commands.submit(Submission.of("resize", params(Map.of("width", 3)), TaskTrigger.CODE)))
			.satisfies((ex) -> assertThat(ex.getCapacity()).isEqualTo(2));
		then(this.store).should(times(2)).insert(any());
		assertThat(this.dispatched).hasSize(2);
	}

	@Test
	void submitWithTheKeyOfAnActiveExecutionReturnsThatExecution() {
		UUID active = UUID.randomUUID();
		willReturn(active).given(this.store).insert(any());
		SubmitResult result = this.commands.submit(new Submission("resize", params(Map.of("width", 1)),
				TaskTrigger.API, 0, null, null, "nightly", null));
		assertThat(result).isEqualTo(new SubmitResult(active, false));
		assertThat(inserted().key()).isEqualTo("nightly");
		assertThat(this.dispatched).isEmpty();
		assertThat(this.submitted).isEmpty();
	}

	@Test
	void submitStartsOnAnIdleLocalThreadWithoutAClaim() {
		RecordingLocalStart local = new RecordingLocalStart(true);
		ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "resize", "{\"width\":1}", 1, "node-a", 4);
		given(this.store.insertClaimed(any(), anyString(), any())).willReturn(claim);
		SubmitResult result = commands(local, 0)
			.submit(Submission.of("resize", params(Map.of("width", 1)), TaskTrigger.CODE));
		ArgumentCaptor<NewExecution> execution = ArgumentCaptor.forClass(NewExecution.class);
		then(this.store).should().insertClaimed(execution.capture(), eq("node-a"),
				eq(LEASE));
		assertThat(result).isEqualTo(new SubmitResult(execution.getValue().id(), true));
		assertThat(local.started).containsExactly(claim);
		assertThat(local.released).isZero();
		then(this.store).should(never()).insert(any());
		assertThat(this.submitted).containsExactly("resize CODE");
	}

	@Test
	void submitWithAKeyOrADelayOrWithoutAnIdleThreadIsQueued() {
		RecordingLocalStart idle = new RecordingLocalStart(true);
		ExecutionCommands commands = commands(idle, 0);
		commands.submit(
				new Submission("resize", params(Map.of("width", 1)), TaskTrigger.CODE, 0, null, null, "k", null));
		commands.submit(new Submission("resize", params(Map.of("width", 1)), TaskTrigger.CODE, 0, null,
				Duration.ofSeconds(1), null, null));
		commands.submit(new Submission("resize", params(Map.of("width", 1)), TaskTrigger.CODE, 0,
				Instant.now().plusSeconds(60), null, null, null));
		commands.submit(Submission.of("limited", params(Map.of()), TaskTrigger.CODE));
		commands(new RecordingLocalStart(false), 0)
			.submit(Submission.of("resize", params(Map.of("width", 1)), TaskTrigger.CODE));
		then(this.store).should(times(5)).insert(any());
		then(this.store).should(never()).insertClaimed(any(), anyString(), any());
		assertThat(idle.started).isEmpty();
	}

	@Test
	void aFailedLocalStartGivesItsThreadBack() {
		RecordingLocalStart local = new RecordingLocalStart(true);
		given(this.store.insertClaimed(any(), anyString(), any())).willThrow(new IllegalStateException("down"));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> commands(local, 0)
			.submit(Submission.of("resize", params(Map.of("width", 1)), TaskTrigger.CODE)));
		assertThat(local.released).isOne();
		assertThat(local.started).isEmpty();
		assertThat(this.submitted).isEmpty();
	}

	@Test
	void submitAllNamesTheIndexOfInvalidParamsAndStoresNothing() {
		List<ObjectNode> params = List.of(params(Map.of("width", 1)), params(Map.of("width", "wide")));
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.commands.submitAll("resize", params, TaskTrigger.CODE))
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactly("[1].width"));
		then(this.store).should(never()).insertAll(any());
	}

	@Test
	void cancelOfAReadyExecutionCancelsItAtOnce() {
		UUID id = UUID.randomUUID();
		given(this.store.cancel(id, null)).willReturn(true);
		this.commands.cancel(id);
		then(this.store).should(never()).requestCancel(any(), any());
	}

	@Test
	void cancelOfARunningExecutionAsksItsNodeToStopIt() {
		UUID id = UUID.randomUUID();
		given(this.store.requestCancel(id, null)).willReturn(true);
		this.commands.cancel(id);
		then(this.store).should().cancel(id, null);
		then(this.store).should().requestCancel(id, null);
	}

	@Test
	void cancelOfAnExecutionThatMovedBetweenTheStatementsTriesAgain() {
		UUID id = UUID.randomUUID();
		// The cancel found it RUNNING, the request found it READY again (handed back): read READY, try again.
		given(this.store.cancel(id, null)).willReturn(false, true);
		given(this.store.status(id)).willReturn(TaskStatus.READY);
		this.commands.cancel(id);
		then(this.store).should(times(2)).cancel(id, null);
	}

	@ParameterizedTest
	@EnumSource(names = { "SUCCESSFUL", "FAILED", "CANCELLED" })
	void cancelOfAFinishedExecutionIsAConflict(TaskStatus status) {
		UUID id = UUID.randomUUID();
		given(this.store.status(id)).willReturn(status);
		assertThatExceptionOfType(ExecutionConflictException.class).isThrownBy(() -> this.commands.cancel(id))
			.satisfies((ex) -> {
				assertThat(ex.getId()).isEqualTo(id);
				assertThat(ex.getStatus()).isEqualTo(status);
			});
	}

	@Test
	void cancelOfAnUnknownExecutionIsNotFound() {
		UUID id = UUID.randomUUID();
		assertThatExceptionOfType(ExecutionNotFoundException.class).isThrownBy(() -> this.commands.cancel(id));
	}

	@ParameterizedTest
	@EnumSource(names = { "FAILED", "CANCELLED" })
	void retrySubmitsACopyOfAFailedOrCancelledExecution(TaskStatus status) {
		Execution original = execution(status);
		given(this.queries.find(original.id())).willReturn(Optional.of(original));
		UUID id = this.commands.retry(original.id());
		NewExecution stored = inserted();
		assertThat(stored.id()).isEqualTo(id).isNotEqualTo(original.id());
		assertThat(stored.task()).isEqualTo("resize");
		assertThat(stored.trigger()).isEqualTo(TaskTrigger.RETRY);
		assertThat(stored.retryOf()).isEqualTo(original.id());
		assertThat(this.mapper.readTree(stored.params()))
			.isEqualTo(this.mapper.readTree("{\"width\":3,\"name\":\"x\"}"));
		assertThat(stored.priority()).isEqualTo(5);
		assertThat(stored.key()).isEqualTo("nightly");
		assertThat(this.dispatched).containsExactly(id);
	}

	@ParameterizedTest
	@EnumSource(names = { "READY", "RUNNING", "SUCCESSFUL" })
	void retryOfAnExecutionThatDidNotFailIsAConflict(TaskStatus status) {
		Execution original = execution(status);
		given(this.queries.find(original.id())).willReturn(Optional.of(original));
		assertThatExceptionOfType(ExecutionConflictException.class)
			.isThrownBy(() -> this.commands.retry(original.id()))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(status));
		assertNothingStored();
	}

	@Test
	void retryOfAnUnknownExecutionIsNotFound() {
		UUID id = UUID.randomUUID();
		given(this.queries.find(id)).willReturn(Optional.empty());
		assertThatExceptionOfType(ExecutionNotFoundException.class).isThrownBy(() -> this.commands.retry(id));
		assertNothingStored();
	}

	private ExecutionCommands commands(ExecutionDispatcher dispatcher, long capacity) {
		TaskEnablement enablement = new TaskEnablement(this.taskStates, TaskOverrides.NONE, Duration.ofHours(1));
		return new ExecutionCommands(this.registry, new TaskParameterBinder(this.mapper), this.store, this.queries,
				dispatcher, capacity, this.mapper, enablement, this.observer);
	}

	private ExecutionCommands commands(LocalStart local, long capacity) {
		return commands(new ExecutionDispatcher() {

			@Override
			public void dispatch(UUID id) {
				ExecutionCommandsTests.this.dispatched.add(id);
			}

			@Override
			public LocalStart localStart() {
				return local;
			}

		}, capacity);
	}

	private NewExecution inserted() {
		ArgumentCaptor<NewExecution> execution = ArgumentCaptor.forClass(NewExecution.class);
		then(this.store).should().insert(execution.capture());
		return execution.getValue();
	}

	private void assertNothingStored() {
		then(this.store).should(never()).insert(any());
		then(this.store).should(never()).insertClaimed(any(), anyString(), any());
		then(this.store).should(never()).insertAll(any());
		assertThat(this.dispatched).isEmpty();
		assertThat(this.submitted).isEmpty();
	}

	private ObjectNode params(Map<String, ?> params) {
		return this.mapper.valueToTree(params);
	}

	private static TaskParameter parameter(String name, Class<?> type, boolean required) {
		return new TaskParameter(name, type, required, null, "");
	}

	private static Execution execution(TaskStatus status) {
		Instant created = Instant.parse("2026-05-01T10:00:00Z");
		return new Execution(UUID.randomUUID(), "resize", status, TaskTrigger.API, Map.of("width", 3, "name", "x"),
				null, null, 4, 4, 5, "nightly", null, created, created, null, null, null, false, null);
	}

	private static final class RecordingLocalStart implements LocalStart {

		private final boolean idle;

		private final List<ClaimedExecution> started = new CopyOnWriteArrayList<>();

		private int released;

		RecordingLocalStart(boolean idle) {
			this.idle = idle;
		}

		@Override
		public boolean reserve() {
			return this.idle;
		}

		@Override
		public void start(ClaimedExecution claim) {
			this.started.add(claim);
		}

		@Override
		public void release() {
			this.released++;
		}

		@Override
		public String node() {
			return "node-a";
		}

		@Override
		public Duration lease() {
			return LEASE;
		}

	}

}
