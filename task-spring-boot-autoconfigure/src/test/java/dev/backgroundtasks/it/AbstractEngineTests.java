package dev.backgroundtasks.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.ExecutionCancelledException;
import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.InvalidBatchException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskBatch;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.actuate.BackgroundTasksHealthIndicator;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.it.app.EngineTasks;
import dev.backgroundtasks.it.app.RecordingListener;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.TaskWorker;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The engine's promises on one node, run on H2, PostgreSQL and MariaDB: retries with backoff, timeouts,
 * cancelling a running execution, recovery of expired leases, fencing of zombies, delays and keys, a
 * concurrency limit per partition and a rate limit.
 */
@SpringBootTest(classes = TestTasksApplication.class,
		properties = { "background-tasks.retry.min-delay=100ms", "background-tasks.retry.max-delay=300ms",
				"background-tasks.worker.lease-time=2s", "background-tasks.worker.heartbeat-interval=200ms",
				"background-tasks.worker.cancel-check-interval=100ms", "background-tasks.worker.poll-interval=100ms" })
abstract class AbstractEngineTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionStore store;

	@Autowired
	ExecutionQueries queries;

	@Autowired
	BackgroundTasksHealthIndicator health;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TaskWorker worker;

	@Autowired
	AttemptSupervisor supervisor;

	@Autowired
	RecordingListener listener;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void aPartitionNeverRunsMoreThanItsLimitWhileOtherPartitionsRunBesideIt() {
		FlowChecks.resetPartitionCounters();
		List<TaskHandle> handles = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			handles.add(this.tasks.submit("perCustomer", Map.of("customer", "c" + (i % 3))));
		}
		handles.forEach((handle) -> assertThat(handle.await(WAIT)).isNull());
		assertThat(EngineTasks.customerPeak).hasSize(3);
		assertThat(EngineTasks.customerPeak.values()).allSatisfy((peak) -> assertThat(peak.get()).isBetween(1, 2));
		assertThat(EngineTasks.customersPeak.get()).as("customers running at once").isGreaterThanOrEqualTo(2);
	}

	@Test
	void aRateLimitNeverLetsMoreStartInAnyWindow() {
		List<TaskHandle> handles = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			handles.add(this.tasks.submit("rated", Map.of("n", i)));
		}
		handles.forEach((handle) -> assertThat(handle.await(WAIT, Integer.class)).isNotNull());
		assertThat(FlowChecks.mostStartsInAnyWindow(handles, Duration.ofMillis(500))).isLessThanOrEqualTo(5);
	}

	@Test
	void retriesAFailedAttemptAndSucceeds() {
		String key = UUID.randomUUID().toString();
		TaskHandle handle = this.tasks.submit("flaky", Map.of("key", key, "failures", 2));
		assertThat(handle.await(WAIT)).isEqualTo(key + " succeeded on attempt 3");
		Execution execution = handle.execution();
		assertThat(execution.attempt()).isEqualTo(3);
		assertThat(execution.maxAttempts()).isEqualTo(3);
		assertThat(execution.error()).isNull();
	}

	@Test
	void aSnoozedExecutionRunsAgainAfterItsDelayUnderTheSameAttemptAndSucceedsWithOneAttemptUsed() {
		String key = UUID.randomUUID().toString();
		TaskHandle handle = this.tasks.submit("snoozy", Map.of("key", key, "snoozes", 3));
		assertThat(handle.await(WAIT)).isEqualTo(key + " ran 4 times");
		Execution execution = handle.execution();
		assertThat(execution.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(execution.attempt()).isEqualTo(1);
		assertThat(execution.maxAttempts()).isEqualTo(1);
		assertThat(execution.snoozes()).isEqualTo(3);
		assertThat(EngineTasks.snoozyRuns.get(key)).as("TaskContext.attempt() of each run").containsExactly(1, 1, 1, 1);
		List<ExecutionAttempt> attempts = this.queries.attempts(handle.id());
		assertThat(attempts).extracting(ExecutionAttempt::outcome)
			.containsExactly(Outcome.SNOOZED, Outcome.SNOOZED, Outcome.SNOOZED, Outcome.SUCCEEDED);
		assertThat(attempts).extracting(ExecutionAttempt::attempt).containsOnly(1);
		for (int i = 1; i < attempts.size(); i++) {
			// Each run starts once the snooze before it is over, not before.
			assertThat(attempts.get(i).startedAt())
				.isAfterOrEqualTo(attempts.get(i - 1).finishedAt().plusMillis(200));
		}
	}

	@Test
	void aDependentStartsOnlyAfterEveryParentSucceededAndIsCancelledDownTheChainWhenOneFails() {
		String run = UUID.randomUUID().toString();
		TaskHandle slow = step(run + "-slow", 500, false);
		TaskHandle fast = step(run + "-fast", 50, false);
		TaskHandle child = this.tasks.task("step")
			.params(Map.of("name", run + "-child", "millis", 0, "fail", false))
			.after(slow.id(), fast.id())
			.submit();
		assertThat(child.await(WAIT)).isEqualTo(run + "-child");
		Execution execution = child.execution();
		assertThat(execution.after()).containsExactly(slow.id(), fast.id());
		assertThat(execution.startedAt()).as("database time")
			.isAfterOrEqualTo(slow.execution().finishedAt())
			.isAfterOrEqualTo(fast.execution().finishedAt());
		List<String> steps = List.copyOf(EngineTasks.steps);
		assertThat(steps.indexOf("start " + run + "-child")).isGreaterThan(steps.indexOf("end " + run + "-slow"))
			.isGreaterThan(steps.indexOf("end " + run + "-fast"));

		TaskHandle failing = step(run + "-failing", 100, true);
		TaskHandle dependent = this.tasks.task("step")
			.params(Map.of("name", run + "-dependent", "millis", 0, "fail", false))
			.after(failing.id())
			.submit();
		TaskHandle grandchild = this.tasks.task("step")
			.params(Map.of("name", run + "-grandchild", "millis", 0, "fail", false))
			.after(dependent.id())
			.submit();
		assertThatExceptionOfType(ExecutionCancelledException.class).isThrownBy(() -> grandchild.await(WAIT));
		Execution cancelled = dependent.execution();
		assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
		assertThat(cancelled.error().type()).isEqualTo(DependencyFailedException.class.getName());
		assertThat(cancelled.error().message()).contains(failing.id().toString()).contains("FAILED");
		assertThat(failing.execution().status()).isEqualTo(TaskStatus.FAILED);
		assertThat(EngineTasks.steps).doesNotContain("start " + run + "-dependent", "start " + run + "-grandchild");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.listener.callbacksOf(dependent.id())).containsExactly("onComplete:CANCELLED");
			assertThat(this.listener.events).contains(
					new ExecutionStatusEvent(child.id(), "step", TaskStatus.WAITING, 0, null),
					new ExecutionStatusEvent(child.id(), "step", TaskStatus.READY, 0, null),
					new ExecutionStatusEvent(dependent.id(), "step", TaskStatus.CANCELLED, 0, null),
					new ExecutionStatusEvent(grandchild.id(), "step", TaskStatus.CANCELLED, 0, null));
		});
		List<Object> events = List.copyOf(this.listener.events);
		assertThat(events.indexOf(new ExecutionStatusEvent(child.id(), "step", TaskStatus.WAITING, 0, null)))
			.as("WAITING, then READY")
			.isLessThan(events.indexOf(new ExecutionStatusEvent(child.id(), "step", TaskStatus.READY, 0, null)));
	}

	private TaskHandle step(String name, long millis, boolean fail) {
		return this.tasks.submit("step", Map.of("name", name, "millis", millis, "fail", fail));
	}

	@Test
	void theLastFailureKeepsItsError() {
		String key = UUID.randomUUID().toString();
		TaskHandle handle = this.tasks.submit("flaky", Map.of("key", key, "failures", 10));
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.getExecution().attempt()).isEqualTo(3);
				assertThat(ex.getError().type()).isEqualTo(IllegalStateException.class.getName());
				assertThat(ex.getError().message()).isEqualTo("Failure 3 of " + key);
				assertThat(ex.getError().stackTrace()).contains("EngineTasks.flaky");
			});
	}

	@Test
	void backsOffBetweenMinAndMaxDelayBeforeTheRetry() {
		TaskHandle handle = this.tasks.submit("slowRetry", Map.of("key", UUID.randomUUID().toString()));
		await().atMost(WAIT).until(() -> handle.execution().attempt() == 1 && handle.status() == TaskStatus.READY);
		Map<String, Object> waiting = this.jdbc.queryForMap(
				"SELECT started_at, run_at, error_message FROM bgt_execution WHERE id = ?", handle.id());
		Duration backoff = Duration.between(instant(waiting.get("started_at")), instant(waiting.get("run_at")));
		assertThat(backoff).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
		assertThat((String) waiting.get("error_message")).startsWith("Failure 1 of");
		handle.await(WAIT);
		assertThat(handle.execution().startedAt()).isAfterOrEqualTo(instant(waiting.get("run_at")));
	}

	@Test
	void noRetryForFailsAtOnce() {
		TaskHandle handle = this.tasks.submit("refuse", Map.of("why", "bad input"));
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT));
		assertThat(handle.execution().attempt()).isEqualTo(1);
		assertThat(handle.execution().maxAttempts()).isEqualTo(5);
	}

	@Test
	void anAttemptThatRunsTooLongIsInterruptedAndRecordedAsATimeout() {
		TaskHandle handle = this.tasks.submit("overrun");
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.getError().type()).isEqualTo(TaskTimeoutException.class.getName());
				assertThat(ex.getError().message()).isEqualTo("Attempt 1 of task 'overrun' timed out after PT0.2S");
			});
	}

	@Test
	void cancellingARunningExecutionInterruptsItAndEndsItCancelled() {
		TaskHandle handle = this.tasks.submit("sleepy", Map.of("millis", 60_000));
		await().atMost(WAIT).until(() -> handle.status() == TaskStatus.RUNNING);
		handle.cancel();
		await().atMost(Duration.ofSeconds(3)).until(() -> handle.status() == TaskStatus.CANCELLED);
		assertThat(handle.execution().cancelRequested()).isTrue();
		assertThat(handle.execution().finishedAt()).isNotNull();
	}

	@Test
	void executionsOfADeadNodeAreRecoveredOnceTheirLeaseExpires() {
		UUID lost = insertRunningOnDeadNode(1, 3);
		UUID exhausted = insertRunningOnDeadNode(3, 3);
		await().atMost(WAIT).until(() -> this.store.status(lost) == TaskStatus.SUCCESSFUL);
		Execution recovered = this.tasks.execution(lost).orElseThrow();
		assertThat(recovered.attempt()).as("the lost attempt counts").isEqualTo(2);
		assertThat(recovered.node()).isNotEqualTo("dead-node");
		await().atMost(WAIT).until(() -> this.store.status(exhausted) == TaskStatus.FAILED);
		Execution failed = this.tasks.execution(exhausted).orElseThrow();
		assertThat(failed.error().type()).isEqualTo("dev.backgroundtasks.LeaseExpiredException");
		assertThat(failed.error().message()).contains("dead-node").contains("attempt 3");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.listener.callbacks).contains("onFailure:" + exhausted + ":FAILED",
					"onComplete:" + exhausted + ":FAILED");
			assertThat(this.listener.events).anySatisfy((event) -> assertThat(event)
				.isEqualTo(new ExecutionStatusEvent(lost, "greet", TaskStatus.READY, 1, "dead-node")));
		});
	}

	@Test
	void aZombieThatLostItsLeaseCannotOverwriteTheNewerAttempt() {
		UUID id = ExecutionIds.next();
		this.store.insert(new NewExecution(id, "greet", TaskTrigger.CODE, "{\"name\":\"zombie\"}", 3, 0, 0, null,
				Duration.ofHours(1), null, null));
		ClaimedExecution zombie = this.store.claim(id, "zombie-node", Duration.ofSeconds(30));
		assertThat(zombie).isNotNull();
		this.jdbc.update("UPDATE bgt_execution SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND,"
				+ " run_at = CURRENT_TIMESTAMP WHERE id = ?", id);
		await().atMost(WAIT).until(() -> this.store.status(id) == TaskStatus.SUCCESSFUL);
		assertThat(this.store.complete(zombie, "\"from the zombie\"")).isFalse();
		assertThat(this.store.fail(zombie, new dev.backgroundtasks.ExecutionError("Zombie", "late", ""))).isNull();
		Execution execution = this.tasks.execution(id).orElseThrow();
		assertThat(execution.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(execution.result()).isEqualTo("Hello, zombie!");
		assertThat(execution.attempt()).isEqualTo(2);
	}

	@Test
	void anExecutionOfATaskThisNodeDoesNotKnowStaysReadyForANodeThatKnowsIt() {
		// A newer version's task, submitted by a node of that version during a rolling deploy.
		UUID id = ExecutionIds.next();
		this.store.insert(NewExecution.of(id, "addedInTheNextVersion", TaskTrigger.API, "{}"));
		TaskHandle known = this.tasks.submit("greet", Map.of("name", "old version"));
		known.await(WAIT);
		// Several looks for work later (the poll interval is 100 ms) it is still untouched.
		await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.READY);
		assertThat(this.jdbc.queryForObject("SELECT attempt FROM bgt_execution WHERE id = ?", Integer.class, id))
			.isZero();
		this.store.cancel(id);
	}

	@Test
	void paramsThisVersionCannotBindAreHandedBackWithoutUsingAnAttemptAndFailAfterTheGrace() {
		UUID id = ExecutionIds.next();
		// A parameter only the next version of the task declares.
		this.store.insert(NewExecution.of(id, "greet", TaskTrigger.API, "{\"name\":\"v2\",\"language\":\"fr\"}"));
		await().atMost(WAIT).until(() -> this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE id = ?"
				+ " AND status = 'READY' AND unbound_since IS NOT NULL", Integer.class, id) == 1);
		Execution handedBack = this.tasks.execution(id).orElseThrow();
		assertThat(handedBack.attempt()).as("no attempt used: the next claim runs under the same number")
			.isEqualTo(1);
		assertThat(handedBack.error()).isNotNull();
		assertThat(handedBack.error().type()).isEqualTo(InvalidTaskParametersException.class.getName());
		assertThat(handedBack.error().message()).contains("language");
		assertThat(this.queries.attempts(id)).singleElement()
			.extracting(ExecutionAttempt::outcome)
			.isEqualTo(ExecutionAttempt.Outcome.HANDED_BACK);
		// Once the grace (10 minutes by default) is over, the next node that cannot bind them fails it.
		this.jdbc.update("UPDATE bgt_execution SET unbound_since = CURRENT_TIMESTAMP - INTERVAL '11' MINUTE,"
				+ " run_at = CURRENT_TIMESTAMP WHERE id = ?", id);
		await().atMost(WAIT).until(() -> this.store.status(id) == TaskStatus.FAILED);
		Execution failed = this.tasks.execution(id).orElseThrow();
		assertThat(failed.attempt()).isEqualTo(1);
		assertThat(failed.error().message()).contains("unbound-params-grace", "language");
	}

	@Test
	void anAttemptThatIgnoresTheInterruptIsReportedStuckUntilItReturns() {
		TaskHandle handle = this.tasks.submit("stubborn", Map.of("millis", 6_500));
		await().atMost(WAIT).until(() -> this.supervisor.stuck().stream().anyMatch((stuck) -> stuck.id().equals(handle.id())));
		assertThat(this.supervisor.stuck()).filteredOn((stuck) -> stuck.id().equals(handle.id()))
			.singleElement()
			.satisfies((stuck) -> {
				assertThat(stuck.task()).isEqualTo("stubborn");
				assertThat(stuck.reason()).isEqualTo("TIMEOUT");
				assertThat(stuck.thread()).startsWith("bgt-worker-");
			});
		assertThat(this.health.health().getDetails()).extractingByKey("stuckAttempts")
			.asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.asString()
			.startsWith(handle.id() + " (task stubborn, asked to stop for TIMEOUT");
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT))
			.satisfies((ex) -> assertThat(ex.getError().type()).isEqualTo(TaskTimeoutException.class.getName()));
		assertThat(this.supervisor.stuck()).noneMatch((stuck) -> stuck.id().equals(handle.id()));
	}

	@Test
	void delayedAndScheduledExecutionsWaitUntilDue() {
		TaskHandle delayed = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		TaskHandle later = this.tasks.task("greet").runAt(Instant.now().plus(Duration.ofDays(1))).priority(7).submit();
		Execution execution = delayed.execution();
		assertThat(execution.status()).isEqualTo(TaskStatus.READY);
		assertThat(Duration.between(execution.createdAt(), execution.runAt())).isEqualTo(Duration.ofHours(1));
		assertThat(later.execution().priority()).isEqualTo(7);
		delayed.cancel();
		later.cancel();
	}

	@Test
	void aKeyHoldsOneActiveExecution() {
		String key = "report-" + UUID.randomUUID();
		TaskHandle first = this.tasks.task("sleepy").param("millis", 60_000).key(key).submit();
		TaskHandle second = this.tasks.task("sleepy").param("millis", 1).key(key).submit();
		assertThat(second.id()).isEqualTo(first.id());
		first.cancel();
		await().atMost(WAIT).until(() -> first.status() == TaskStatus.CANCELLED);
		TaskHandle third = this.tasks.task("sleepy").param("millis", 1).key(key).submit();
		assertThat(third.id()).as("the key is free once the holder finished").isNotEqualTo(first.id());
		assertThat(third.await(WAIT)).isEqualTo("slept 1");
	}

	@Test
	void retryMakesANewExecutionFromAFailedOne() {
		TaskHandle failed = this.tasks.submit("refuse", Map.of("why", "once"));
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> failed.await(WAIT));
		TaskHandle retried = failed.retry();
		assertThat(retried.id()).isNotEqualTo(failed.id());
		assertThat(retried.execution().trigger()).isEqualTo(TaskTrigger.RETRY);
		assertThat(retried.execution().retryOf()).isEqualTo(failed.id());
		assertThat(retried.execution().params()).isEqualTo(Map.of("why", "once"));
		assertThatExceptionOfType(dev.backgroundtasks.ExecutionConflictException.class)
			.isThrownBy(() -> this.tasks.submit("greet", Map.of()).retry());
	}

	@Test
	void submitAllStoresABatchAllOrNothing() {
		List<Map<String, Object>> params = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			params.add(Map.of("a", i, "b", 1));
		}
		List<TaskHandle> handles = this.tasks.submitAll("add", params);
		assertThat(handles).hasSize(40);
		assertThat(handles.get(39).await(WAIT)).isEqualTo(40);
		params.set(3, Map.of("a", "three", "b", 1));
		long before = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.tasks.submitAll("add", params))
			.satisfies((ex) -> assertThat(ex.getProblems().get(0).parameter()).isEqualTo("[3].a"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class)).isEqualTo(before);
	}

	@Test
	void submitAllValidatesEveryItemEvenWhenItemsShareParams() {
		Map<String, Object> shared = Map.of("a", 1, "b", 2);
		List<TaskHandle> handles = this.tasks.submitAll("add", List.of(shared, shared, Map.of("a", 5, "b", 5), shared));
		assertThat(handles).map((handle) -> handle.await(WAIT)).containsExactly(3, 3, 10, 3);
		Map<String, Object> bad = Map.of("a", 1);
		long before = count();
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.tasks.submitAll("add", List.of(shared, bad, bad)))
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactly("[1].b"));
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.tasks.submitAll("add", List.of(shared, Map.of(), new HashMap<>())))
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactly("[1].a", "[1].b"));
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void submitAllOfEmptyParamsUsesDefaults() {
		List<TaskHandle> handles = this.tasks.submitAll("greet",
				List.of(Map.of(), new HashMap<>(), Map.of("name", "batch"), Map.of()));
		assertThat(handles).map((handle) -> handle.await(WAIT))
			.containsExactly("Hello, World!", "Hello, World!", "Hello, batch!", "Hello, World!");
	}

	@Test
	void submitAllOfManyStatementsStoresEveryItemOrNothing() {
		List<Map<String, Object>> params = new ArrayList<>();
		for (int i = 0; i < 1_200; i++) {
			params.add(Map.of("name", "n" + i));
		}
		params.set(700, Map.of("name", "n700", "surname", "x"));
		long before = count();
		assertThatExceptionOfType(InvalidTaskParametersException.class)
			.isThrownBy(() -> this.tasks.submitAll("greet", params))
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactly("[700].surname"));
		assertThat(count()).isEqualTo(before);
		params.set(700, Map.of("name", "n700"));
		List<TaskHandle> handles = this.tasks.submitAll("greet", params);
		assertThat(handles).map(TaskHandle::id).doesNotHaveDuplicates().hasSize(1_200);
		assertThat(handles.get(700).await(WAIT)).isEqualTo("Hello, n700!");
		assertThat(handles.get(1_199).await(WAIT)).isEqualTo("Hello, n1199!");
		assertThat(count()).isEqualTo(before + 1_200);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.listener.events)
			.contains(new ExecutionStatusEvent(handles.get(1_199).id(), "greet", TaskStatus.READY, 0, null)));
	}

	@Test
	void concurrentSubmissionsStoredTogetherAreEachStoredOnceAndRun() throws Exception {
		int threads = 8;
		int each = 40;
		ExecutorService submitters = Executors.newFixedThreadPool(threads);
		try {
			List<Future<List<TaskHandle>>> parts = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				parts.add(submitters.submit(() -> {
					List<TaskHandle> handles = new ArrayList<>();
					for (int i = 0; i < each; i++) {
						handles.add(this.tasks.submit("batchMember", Map.of("millis", 0, "fail", false)));
					}
					return handles;
				}));
			}
			List<TaskHandle> handles = new ArrayList<>();
			for (Future<List<TaskHandle>> part : parts) {
				handles.addAll(part.get(WAIT.toSeconds(), TimeUnit.SECONDS));
			}
			Set<UUID> ids = handles.stream().map(TaskHandle::id).collect(Collectors.toSet());
			assertThat(ids).hasSize(threads * each);
			// Each returned once its row was committed: every one is there at once, and runs once.
			for (UUID id : ids) {
				assertThat(this.tasks.execution(id)).as("execution %s", id).isPresent();
			}
			handles.forEach((handle) -> assertThat(handle.await(WAIT)).isEqualTo("done"));
			assertThat(handles).allSatisfy((handle) -> assertThat(handle.execution().attempt()).isEqualTo(1));
		}
		finally {
			submitters.shutdownNow();
		}
	}

	@Test
	void submitAllJoinsTheCallersTransaction() {
		long before = count();
		List<UUID> ids = new TransactionTemplate(this.transactionManager).execute((status) -> {
			List<TaskHandle> handles = this.tasks.submitAll("greet", List.of(Map.of(), Map.of("name", "rolled back")));
			status.setRollbackOnly();
			return handles.stream().map(TaskHandle::id).toList();
		});
		assertThat(ids).hasSize(2);
		assertThat(count()).isEqualTo(before);
		assertThat(this.tasks.execution(ids.get(0))).isEmpty();
		// Events are delivered in order: once a later one arrived, none is coming for the rolled back batch.
		UUID later = this.tasks.submit("greet", Map.of()).id();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.listener.events)
			.contains(new ExecutionStatusEvent(later, "greet", TaskStatus.READY, 0, null)));
		assertThat(this.listener.events)
			.noneMatch((event) -> event instanceof ExecutionStatusEvent status && ids.contains(status.executionId()));
	}

	@Test
	void aSubmissionOnANodeWithAnIdleThreadStartsThereWithoutAClaim() {
		// Idle first: an attempt of an earlier test still running (a busy machine) takes the thread.
		await().atMost(WAIT).until(() -> this.supervisor.runningCount() == 0);
		TaskHandle handle = this.tasks.submit("greet", Map.of("name", "direct"));
		handle.await(WAIT);
		Map<String, Object> row = this.jdbc.queryForMap("SELECT created_at, started_at, attempt, node, status"
				+ " FROM bgt_execution WHERE id = ?", handle.id());
		// Stored already claimed, in one statement: a claim by the worker would start it later.
		assertThat(instant(row.get("started_at"))).isEqualTo(instant(row.get("created_at")));
		assertThat(row.get("attempt")).isEqualTo(1);
		assertThat(row.get("node")).isEqualTo(this.worker.getNode());
		assertThat(row.get("status")).isEqualTo("SUCCESSFUL");
	}

	@Test
	void aSubmissionInTheCallersTransactionWaitsForTheCommitAndTheWorker() {
		UUID id = new TransactionTemplate(this.transactionManager).execute((status) -> this.tasks.submit("greet", Map.of("name", "in a transaction")).id());
		this.tasks.handle(id).await(WAIT);
		Map<String, Object> row = this.jdbc.queryForMap("SELECT created_at, started_at FROM bgt_execution WHERE id = ?",
				id);
		assertThat(instant(row.get("started_at"))).isAfter(instant(row.get("created_at")));
	}

	@Test
	void aBatchRunsItsCallbackOnceAfterEveryMemberEndedWithTheCounts() {
		TaskBatch batch = this.tasks.batch();
		for (int i = 0; i < 9; i++) {
			batch.add("batchMember", Map.of("millis", 10, "fail", i % 3 == 0));
		}
		// Runs until cancelled.
		batch.add("batchMember", Map.of("millis", 60_000, "fail", false));
		BatchHandle handle = batch.onComplete("batchDone", Map.of("label", "engine")).submit();
		assertThat(handle.size()).isEqualTo(10);
		List<Execution> members = this.queries.page(ExecutionFilter.all().withBatchId(handle.id()), 0, 20).content();
		assertThat(members).hasSize(10).allSatisfy((member) -> assertThat(member.batchId()).isEqualTo(handle.id()));
		TaskHandle longest = this.tasks.handle(members.stream()
			.filter((member) -> member.params().get("millis").equals(60_000))
			.findFirst()
			.orElseThrow()
			.id());
		await().atMost(WAIT).until(() -> longest.status() == TaskStatus.RUNNING);
		// The short members may still be ending when the long one starts.
		await().atMost(WAIT).until(() -> handle.counts().getOrDefault(TaskStatus.RUNNING, 0) == 1);
		assertThat(handle.isDone()).isFalse();
		assertThat(handle.counts()).containsEntry(TaskStatus.RUNNING, 1);
		longest.cancel();
		await().atMost(WAIT).until(handle::isDone);
		String batchId = handle.id().toString();
		await().atMost(WAIT).until(() -> EngineTasks.batchCallbacks.containsKey(batchId));
		Map<TaskStatus, Integer> counts = Map.of(TaskStatus.SUCCESSFUL, 6, TaskStatus.FAILED, 3, TaskStatus.CANCELLED, 1);
		assertThat(handle.counts()).containsExactlyInAnyOrderEntriesOf(counts);
		assertThat(EngineTasks.batchCallbacks.get(batchId)).containsExactly(Map.of("SUCCESSFUL", 6, "FAILED", 3,
				"CANCELLED", 1));
		Execution callback = this.queries.page(new ExecutionFilter("batchDone", null), 0, 100)
			.content()
			.stream()
			.filter((execution) -> batchId.equals(execution.params().get("batchId")))
			.findFirst()
			.orElseThrow();
		assertThat(callback.batchId()).as("the callback is no member").isNull();
		assertThat(callback.trigger()).isEqualTo(TaskTrigger.CODE);
		assertThat(callback.params()).containsEntry("label", "engine")
			.containsEntry("counts", Map.of("SUCCESSFUL", 6, "FAILED", 3, "CANCELLED", 1));
		await().atMost(WAIT).until(() -> this.queries.find(callback.id()).orElseThrow().status().isTerminal());
		Execution ran = this.queries.find(callback.id()).orElseThrow();
		assertThat(ran.result()).isEqualTo("engine 6/3/1");
		assertThat(EngineTasks.batchCallbacks.get(batchId)).hasSize(1);
		for (Execution member : this.queries.page(ExecutionFilter.all().withBatchId(handle.id()), 0, 20).content()) {
			assertThat(ran.startedAt()).isAfterOrEqualTo(member.finishedAt());
		}
		assertThat(this.tasks.batch(handle.id())).hasValueSatisfying((found) -> assertThat(found.isDone()).isTrue());
		assertThat(this.tasks.batch(UUID.randomUUID())).isEmpty();
	}

	@Test
	void anInvalidBatchIsRefusedNamingItsMemberAndNothingIsStored() {
		long before = count();
		assertThatExceptionOfType(InvalidBatchException.class)
			.isThrownBy(() -> this.tasks.batch()
				.add("batchMember", Map.of("millis", 1, "fail", false))
				.add("nope", Map.of())
				.submit())
			.satisfies((ex) -> {
				assertThat(ex.getIndex()).isEqualTo(1);
				assertThat(ex.getTask()).isEqualTo("nope");
				assertThat(ex.getCause()).isInstanceOf(UnknownTaskException.class);
			})
			.withMessageStartingWith("Batch member 1 is invalid: ");
		assertThatExceptionOfType(InvalidBatchException.class)
			.isThrownBy(() -> this.tasks.batch()
				.add("batchMember", Map.of("millis", 1, "fail", false))
				.add("batchMember", Map.of("millis", "soon"))
				.submit())
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactlyInAnyOrder("millis", "fail"));
		assertThatExceptionOfType(InvalidBatchException.class)
			.isThrownBy(() -> this.tasks.batch()
				.add("batchMember", Map.of("millis", 1, "fail", false))
				.onComplete("batchDone", Map.of("label", "x", "batchId", "mine"))
				.submit())
			.satisfies((ex) -> {
				assertThat(ex.isCallback()).isTrue();
				assertThat(ex.getProblems()).extracting(ParameterProblem::parameter).containsExactly("batchId");
			});
		assertThatExceptionOfType(InvalidBatchException.class)
			.isThrownBy(() -> this.tasks.batch().add("batchMember", Map.of("millis", 1, "fail", false))
				.onComplete("batchDone", Map.of())
				.submit())
			.satisfies((ex) -> assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
				.containsExactly("label"));
		assertThatExceptionOfType(InvalidBatchException.class).isThrownBy(() -> this.tasks.batch().submit())
			.withMessage("A batch needs at least one member");
		assertThat(count()).isEqualTo(before);
	}

	private long count() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

	private UUID insertRunningOnDeadNode(int attempt, int maxAttempts) {
		UUID id = ExecutionIds.next();
		this.store.insert(new NewExecution(id, "greet", TaskTrigger.CODE, "{\"name\":\"again\"}", maxAttempts, 0, 0,
				null, Duration.ofHours(1), null, null));
		this.jdbc.update("UPDATE bgt_execution SET status = 'RUNNING', node = 'dead-node', attempt = ?,"
				+ " lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND, run_at = CURRENT_TIMESTAMP WHERE id = ?",
				attempt, id);
		return id;
	}

	private static Instant instant(Object value) {
		if (value instanceof java.time.OffsetDateTime offset) {
			return offset.toInstant();
		}
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant();
		}
		return (Instant) value;
	}

}
