package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskInvoker;
import dev.backgroundtasks.registry.TaskParameter;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link ExecutionRunner}, with a mocked store: which outcome each attempt writes, and who is
 * told.
 */
class ExecutionRunnerTests {

	private static final Duration RETRY_DELAY = Duration.ofSeconds(5);

	private final ExecutionStore store = mock(ExecutionStore.class);

	private final DefaultTaskRegistry registry = new DefaultTaskRegistry();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final List<UUID> finished = new CopyOnWriteArrayList<>();

	private final List<Ended> observed = new CopyOnWriteArrayList<>();

	private final ExecutionObserver observer = new ExecutionObserver() {

		@Override
		public AttemptObservation attemptStarted(ClaimedExecution claim) {
			return (outcome, failure) -> ExecutionRunnerTests.this.observed
				.add(new Ended(claim.id(), outcome, failure));
		}

	};

	private final AttemptSupervisor supervisor = spy(new AttemptSupervisor(this.store, new WorkSignal(), "node-a",
			Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(20), ExecutionObserver.NONE));

	private final List<@Nullable Object[]> invocations = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopSupervisor() {
		this.supervisor.stop();
	}

	@Test
	void successIsRecordedAtOnceWithItsResultAsJsonWithoutBatcher() {
		register(task("report", policy(3), (arguments) -> Map.of("pages", 3)));
		ClaimedExecution claim = claim("report", 1, 3);
		given(this.store.complete(any(), any())).willReturn(true);
		runner(null).run(claim);
		then(this.store).should().complete(claim, "{\"pages\":3}");
		assertThat(this.finished).containsExactly(claim.id());
		then(this.supervisor).should().release(claim.id());
		assertThat(this.observed).containsExactly(new Ended(claim.id(), AttemptOutcome.SUCCESS, null));
	}

	@Test
	void aNullResultIsRecordedAsNull() {
		register(task("report", policy(3), (arguments) -> null));
		ClaimedExecution claim = claim("report", 1, 3);
		given(this.store.complete(any(), any())).willReturn(true);
		runner(null).run(claim);
		then(this.store).should().complete(claim, null);
		assertThat(this.finished).containsExactly(claim.id());
	}

	@Test
	void successGoesToTheBatcherWhichTellsTheWaitersAndReleasesTheLeaseOnceWritten() {
		register(task("report", policy(3), (arguments) -> "done"));
		ClaimedExecution claim = claim("report", 1, 3);
		CompletionBatcher batcher = mock(CompletionBatcher.class);
		runner(batcher).run(claim);
		then(batcher).should().complete(eq(new Completion(claim, "\"done\"")), any());
		then(this.store).should(never()).complete(any(), any());
		assertThat(this.finished).isEmpty();
		then(this.supervisor).should(never()).release(any());
		assertThat(this.observed).as("ended by the batcher once written").isEmpty();
	}

	@Test
	void bindsTheParamsToTheDeclaredParameters() {
		register(task("resize", policy(3), List.of(parameter("width", int.class), parameter("name", String.class)),
				(arguments) -> arguments[1] + "@" + arguments[0]));
		ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "resize", "{\"width\":640,\"name\":\"logo\"}",
				1, "node-a", 3);
		given(this.store.complete(any(), any())).willReturn(true);
		runner(null).run(claim);
		assertThat(this.invocations).singleElement().isEqualTo(new Object[] { 640, "logo" });
		then(this.store).should().complete(claim, "\"logo@640\"");
	}

	@Test
	void aFinalFailureWhoseCancellingWasAskedMeanwhileEndsCancelled() {
		IllegalStateException failure = new IllegalStateException("disk full");
		register(task("report", policy(1), (arguments) -> {
			throw failure;
		}));
		ClaimedExecution claim = claim("report", 1, 1);
		given(this.store.fail(any(), any())).willReturn(TaskStatus.CANCELLED);
		runner(null).run(claim);
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).containsExactly(new Ended(claim.id(), AttemptOutcome.CANCELLED, failure));
	}

	@Test
	void aFailureWhoseCancellingWasAskedMeanwhileEndsCancelled() {
		IllegalStateException failure = new IllegalStateException("disk full");
		register(task("report", policy(3), (arguments) -> {
			throw failure;
		}));
		ClaimedExecution claim = claim("report", 1, 3);
		given(this.store.retry(any(), any(), any())).willReturn(TaskStatus.CANCELLED);
		runner(null).run(claim);
		then(this.store).should(never()).fail(any(), any());
		assertThat(this.finished).as("finished: it does not run again").containsExactly(claim.id());
		assertThat(this.observed).containsExactly(new Ended(claim.id(), AttemptOutcome.CANCELLED, failure));
	}

	@Test
	void aFailureWithAttemptsLeftIsRetriedAfterTheBackoff() {
		IllegalStateException failure = new IllegalStateException("disk full");
		register(task("report", policy(3), (arguments) -> {
			throw failure;
		}));
		ClaimedExecution claim = claim("report", 2, 3);
		given(this.store.retry(any(), any(), any())).willReturn(TaskStatus.READY);
		runner(null).run(claim);
		ArgumentCaptor<ExecutionError> error = ArgumentCaptor.forClass(ExecutionError.class);
		then(this.store).should().retry(eq(claim), error.capture(), eq(RETRY_DELAY));
		assertThat(error.getValue().type()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.getValue().message()).isEqualTo("disk full");
		assertThat(error.getValue().stackTrace()).contains("IllegalStateException: disk full",
				ExecutionRunnerTests.class.getName());
		then(this.store).should(never()).fail(any(), any());
		assertThat(this.finished).as("not finished: it runs again").isEmpty();
		then(this.supervisor).should().release(claim.id());
		assertThat(this.observed).containsExactly(new Ended(claim.id(), AttemptOutcome.RETRY, failure));
	}

	@Test
	void aFailureOfTheLastAttemptFailsTheExecution() {
		IllegalStateException failure = new IllegalStateException("disk full");
		register(task("report", policy(3), (arguments) -> {
			throw failure;
		}));
		ClaimedExecution claim = claim("report", 3, 3);
		given(this.store.fail(any(), any())).willReturn(TaskStatus.FAILED);
		runner(null).run(claim);
		then(this.store).should().fail(any(), any());
		then(this.store).should(never()).retry(any(), any(), any());
		assertThat(failedWith(claim).type()).isEqualTo(IllegalStateException.class.getName());
		assertThat(this.finished).containsExactly(claim.id());
		then(this.supervisor).should().release(claim.id());
		assertThat(this.observed).containsExactly(new Ended(claim.id(), AttemptOutcome.FAILURE, failure));
	}

	@Test
	void aFailureOfATypeNeverRetriedFailsAtOnceAndOtherTypesAreRetried() {
		ExecutionPolicy policy = new ExecutionPolicy(3, RETRY_DELAY, RETRY_DELAY,
				List.of(IllegalArgumentException.class), Duration.ZERO, 0);
		register(task("parse", policy, (arguments) -> {
			throw new NumberFormatException("not a number");
		}));
		register(task("fetch", policy, (arguments) -> {
			throw new IllegalStateException("timeout");
		}));
		given(this.store.fail(any(), any())).willReturn(TaskStatus.FAILED);
		given(this.store.retry(any(), any(), any())).willReturn(TaskStatus.READY);
		ClaimedExecution parse = claim("parse", 1, 3);
		ClaimedExecution fetch = claim("fetch", 1, 3);
		ExecutionRunner runner = runner(null);
		runner.run(parse);
		runner.run(fetch);
		assertThat(failedWith(parse).type()).isEqualTo(NumberFormatException.class.getName());
		then(this.store).should().retry(eq(fetch), any(), eq(RETRY_DELAY));
		then(this.store).should(never()).retry(eq(parse), any(), any());
		assertThat(this.finished).containsExactly(parse.id());
	}

	@Test
	void anUnknownTaskIsHandedBackForAnotherNodeWithoutUsingAnAttempt() {
		ClaimedExecution claim = claim("added-in-next-version", 1, 3);
		given(this.store.handBackUnbound(any(), any(), any(), any())).willReturn(TaskStatus.READY);
		runner(null).run(claim);
		ExecutionError error = handedBackWith(claim);
		assertThat(error.type()).isEqualTo(UnknownTaskException.class.getName());
		assertThat(error.message()).contains("'added-in-next-version'");
		then(this.store).should(never()).fail(any(), any());
		then(this.store).should(never()).retry(any(), any(), any());
		assertThat(this.finished).as("still to run").isEmpty();
		then(this.supervisor).should().release(claim.id());
		assertThat(this.observed).singleElement().satisfies((ended) -> {
			assertThat(ended.outcome()).isEqualTo(AttemptOutcome.HANDED_BACK);
			assertThat(ended.failure()).isInstanceOf(UnknownTaskException.class);
		});
	}

	@Test
	void paramsThatCannotBeBoundAreHandedBackWithoutRunningTheTask() {
		register(task("resize", policy(3), List.of(parameter("width", int.class)), (arguments) -> "resized"));
		ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "resize", "{\"width\":\"wide\",\"depth\":1}",
				1, "node-a", 3);
		given(this.store.handBackUnbound(any(), any(), any(), any())).willReturn(TaskStatus.READY);
		runner(null).run(claim);
		assertThat(this.invocations).isEmpty();
		ExecutionError error = handedBackWith(claim);
		assertThat(error.type()).isEqualTo(InvalidTaskParametersException.class.getName());
		assertThat(error.message()).contains("width", "depth");
		assertThat(this.finished).isEmpty();
	}

	@Test
	void paramsNoNodeCouldBindWithinTheGraceFail() {
		register(task("resize", policy(3), List.of(parameter("width", int.class)), (arguments) -> "resized"));
		ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "resize", "{\"width\":\"wide\"}", 1,
				"node-a", 3);
		given(this.store.handBackUnbound(any(), any(), any(), any())).willReturn(TaskStatus.FAILED);
		runner(null).run(claim);
		then(this.store).should()
			.handBackUnbound(eq(claim), any(), eq(ExecutionRunner.UNBOUND_RETRY_DELAY), eq(Duration.ofMinutes(10)));
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.FAILURE);
	}

	@Test
	void anOutcomeThatCannotBeWrittenIsWrittenAgainUntilItIs() {
		IllegalStateException failure = new IllegalStateException("disk full");
		register(task("report", policy(1), (arguments) -> {
			throw failure;
		}));
		ClaimedExecution claim = claim("report", 1, 1);
		given(this.store.fail(any(), any())).willThrow(new CannotGetJdbcConnectionException("down"))
			.willThrow(new CannotGetJdbcConnectionException("still down"))
			.willReturn(TaskStatus.FAILED);
		runner(null).run(claim);
		then(this.store).should(times(3)).fail(eq(claim), any());
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.FAILURE);
	}

	@Test
	void aSuccessWhoseWriteCommittedButWhoseReplyWasLostStillTellsTheWaiters() {
		register(task("report", policy(1), (arguments) -> "done"));
		ClaimedExecution claim = claim("report", 1, 1);
		// The store recognises the success it wrote before (see ExecutionStoreOutcomeContractTests).
		given(this.store.complete(any(), any())).willThrow(new CannotGetJdbcConnectionException("reply lost"))
			.willReturn(true);
		runner(null).run(claim);
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.SUCCESS);
	}

	@Test
	void aClaimWhoseLeaseRanOutWhileQueuedIsNotStarted() {
		register(task("report", policy(1), (arguments) -> "done"));
		ClaimedExecution claim = claim("report", 1, 1);
		// Never extended: this supervisor's heartbeat does not run.
		AttemptSupervisor supervisor = spy(new AttemptSupervisor(this.store, new WorkSignal(), "node-a",
				Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1), ExecutionObserver.NONE));
		supervisor.hold(List.of(claim), System.nanoTime() - Duration.ofSeconds(2).toNanos());
		new ExecutionRunner(this.registry, new TaskParameterBinder(this.mapper), this.store, this.finished::add,
				supervisor, this.mapper, this.observer, null, null).run(claim);
		assertThat(this.invocations).isEmpty();
		then(this.store).should(never()).complete(any(), any());
		then(supervisor).should().release(claim.id());
		assertThat(this.observed).isEmpty();
	}

	@Test
	void aClaimThatWaitedLongForAConnectionStartsOnceItsLeaseIsExtended() {
		register(task("report", policy(1), (arguments) -> "done"));
		ClaimedExecution claim = claim("report", 1, 1);
		AttemptSupervisor supervisor = new AttemptSupervisor(this.store, new WorkSignal(), "node-a",
				Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1), ExecutionObserver.NONE);
		given(this.store.extendLeases(anyString(), any(), any())).willReturn(Set.of(claim.id()));
		given(this.store.complete(any(), any())).willReturn(true);
		supervisor.start();
		try {
			// Sent 2 s ago: it waited that long for a pooled connection; the heartbeat extends it.
			supervisor.hold(List.of(claim), System.nanoTime() - Duration.ofSeconds(2).toNanos());
			new ExecutionRunner(this.registry, new TaskParameterBinder(this.mapper), this.store, this.finished::add,
					supervisor, this.mapper, this.observer, null, null).run(claim);
		}
		finally {
			supervisor.stop();
		}
		then(this.store).should().complete(claim, "\"done\"");
		assertThat(this.finished).containsExactly(claim.id());
	}

	@Test
	void aClaimCancelledWhileQueuedEndsCancelledWithoutRunning() {
		this.supervisor.start();
		register(task("report", policy(1), (arguments) -> "done"));
		ClaimedExecution claim = claim("report", 1, 1);
		this.supervisor.hold(List.of(claim), System.nanoTime());
		given(this.store.cancelRequested(anyString())).willReturn(Set.of(claim.id()));
		given(this.store.cancelled(any())).willReturn(true);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.supervisor.isCancelRequested(claim.id()));
		runner(null).run(claim);
		assertThat(this.invocations).isEmpty();
		then(this.store).should().cancelled(claim);
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.CANCELLED);
	}

	@Test
	void anAttemptWhoseLeaseRanOutIsInterruptedAndWritesNothing() {
		AttemptSupervisor supervisor = spy(new AttemptSupervisor(this.store, () -> {
		}, () -> {
		}, new WorkSignal(), "node-a", Duration.ofMillis(600), Duration.ofHours(1), Duration.ofHours(1),
				Duration.ofMinutes(2), ExecutionObserver.NONE));
		supervisor.start();
		try {
			register(task("long", policy(3), (arguments) -> new CountDownLatch(1).await(10, TimeUnit.SECONDS)));
			ClaimedExecution claim = claim("long", 1, 3);
			supervisor.hold(List.of(claim), System.nanoTime());
			long start = System.nanoTime();
			new ExecutionRunner(this.registry, new TaskParameterBinder(this.mapper), this.store, this.finished::add,
					supervisor, this.mapper, this.observer, null, null).run(claim);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped, not run to its end")
				.isLessThan(Duration.ofSeconds(9));
			then(this.store).should(never()).fail(any(), any());
			then(this.store).should(never()).retry(any(), any(), any());
			then(this.store).should(never()).complete(any(), any());
			assertThat(this.finished).isEmpty();
			assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.LOST);
		}
		finally {
			supervisor.stop();
		}
	}

	@Test
	void anOutcomeNoLongerHeldIsLostAndTellsNoWaiter() {
		register(task("report", policy(1), (arguments) -> {
			throw new IllegalStateException("disk full");
		}));
		ClaimedExecution claim = claim("report", 1, 1);
		given(this.store.fail(any(), any())).willReturn(null);
		runner(null).run(claim);
		assertThat(this.finished).isEmpty();
		then(this.supervisor).should().release(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.LOST);
	}

	@Test
	void anAttemptPastItsTimeoutIsInterruptedAndFailsWithATimeout() {
		this.supervisor.start();
		CountDownLatch never = new CountDownLatch(1);
		ExecutionPolicy policy = new ExecutionPolicy(1, RETRY_DELAY, RETRY_DELAY, List.of(), Duration.ofMillis(100),
				0);
		register(task("overrun", policy, (arguments) -> never.await(10, TimeUnit.SECONDS)));
		ClaimedExecution claim = claim("overrun", 1, 1);
		given(this.store.fail(any(), any())).willReturn(TaskStatus.FAILED);
		runner(null).run(claim);
		ExecutionError error = failedWith(claim);
		assertThat(error.type()).isEqualTo(TaskTimeoutException.class.getName());
		assertThat(error.message()).contains("timed out after PT0.1S");
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.TIMEOUT);
		assertThat(Thread.currentThread().isInterrupted()).as("interrupt cleared").isFalse();
	}

	@Test
	void anAttemptAskedToStopIsInterruptedAndCancelled() {
		this.supervisor.start();
		CountDownLatch never = new CountDownLatch(1);
		register(task("long", policy(3), (arguments) -> never.await(10, TimeUnit.SECONDS)));
		ClaimedExecution claim = claim("long", 1, 3);
		given(this.store.cancelRequested(anyString())).willReturn(Set.of(claim.id()));
		given(this.store.cancelled(any())).willReturn(true);
		runner(null).run(claim);
		then(this.store).should().cancelled(claim);
		then(this.store).should(never()).fail(any(), any());
		then(this.store).should(never()).retry(any(), any(), any());
		assertThat(this.finished).containsExactly(claim.id());
		assertThat(this.observed).singleElement().extracting(Ended::outcome).isEqualTo(AttemptOutcome.CANCELLED);
	}

	private ExecutionRunner runner(@Nullable CompletionBatcher batcher) {
		return new ExecutionRunner(this.registry, new TaskParameterBinder(this.mapper), this.store, this.finished::add,
				this.supervisor, this.mapper, this.observer, null, batcher);
	}

	private ExecutionError handedBackWith(ClaimedExecution claim) {
		ArgumentCaptor<ExecutionError> error = ArgumentCaptor.forClass(ExecutionError.class);
		then(this.store).should().handBackUnbound(eq(claim), error.capture(), any(), any());
		return error.getValue();
	}

	private ExecutionError failedWith(ClaimedExecution claim) {
		ArgumentCaptor<ExecutionError> error = ArgumentCaptor.forClass(ExecutionError.class);
		then(this.store).should().fail(eq(claim), error.capture());
		return error.getValue();
	}

	private void register(TaskDefinition definition) {
		this.registry.register(definition);
	}

	private TaskDefinition task(String name, ExecutionPolicy policy, TaskInvoker body) {
		return task(name, policy, List.of(), body);
	}

	private TaskDefinition task(String name, ExecutionPolicy policy, List<TaskParameter> parameters,
			TaskInvoker body) {
		TaskInvoker invoker = (arguments) -> {
			this.invocations.add(arguments);
			return body.invoke(arguments);
		};
		return new TaskDefinition(name, "", List.of(), "test", name + "()", parameters, null, false, policy, invoker);
	}

	private static ExecutionPolicy policy(int maxAttempts) {
		return new ExecutionPolicy(maxAttempts, RETRY_DELAY, RETRY_DELAY, List.of(), Duration.ZERO, 0);
	}

	private static TaskParameter parameter(String name, Class<?> type) {
		return new TaskParameter(name, type, true, null, "");
	}

	private static ClaimedExecution claim(String task, int attempt, int maxAttempts) {
		return new ClaimedExecution(UUID.randomUUID(), task, "{}", attempt, "node-a", maxAttempts);
	}

	record Ended(UUID id, AttemptOutcome outcome, @Nullable Throwable failure) {
	}

}
