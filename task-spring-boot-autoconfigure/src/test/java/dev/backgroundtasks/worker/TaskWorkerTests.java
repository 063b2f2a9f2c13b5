package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link TaskWorker}, with a mocked store: what it claims, and that its dispatcher survives.
 */
class TaskWorkerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutionStore store = mock(ExecutionStore.class);

	private final ExecutionRunner runner = mock(ExecutionRunner.class);

	private final AttemptSupervisor supervisor = new AttemptSupervisor(this.store, new WorkSignal(), "node-a",
			Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(1), ExecutionObserver.NONE);

	private final List<Claim> claims = new CopyOnWriteArrayList<>();

	private final List<ClaimedExecution> ran = new CopyOnWriteArrayList<>();

	private @Nullable TaskWorker worker;

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
	}

	@Test
	void claimsOnlyTheTasksItKnows() {
		given(this.store.claim(anyString(), anyInt(), any(), any())).willAnswer((invocation) -> {
			this.claims.add(new Claim(invocation.getArgument(1), invocation.getArgument(3)));
			return List.of();
		});
		start(Set.of("resize", "thumbnail"), 4, 100);
		await().atMost(WAIT).until(() -> !this.claims.isEmpty());
		assertThat(this.claims).allSatisfy((claim) -> assertThat(claim.tasks()).containsOnly("resize", "thumbnail"));
	}

	@Test
	void aNodeThatJustStartedClaimsNoMoreThanItsThreads() {
		given(this.store.claim(anyString(), anyInt(), any(), any())).willAnswer((invocation) -> {
			this.claims.add(new Claim(invocation.getArgument(1), invocation.getArgument(3)));
			return List.of();
		});
		start(Set.of("report"), 4, 400);
		await().atMost(WAIT).until(() -> !this.claims.isEmpty());
		assertThat(this.claims.get(0).limit()).as("nothing timed yet: nothing claimed ahead").isEqualTo(4);
	}

	@Test
	void theDispatcherSurvivesAnError() {
		CountDownLatch ran = new CountDownLatch(1);
		ClaimedExecution claim = new ClaimedExecution(UUID.randomUUID(), "report", "{}", 1, "node-a", 1);
		given(this.store.claim(anyString(), anyInt(), any(), any())).willThrow(new OutOfMemoryError("Test heap"))
			.willReturn(List.of(claim))
			.willReturn(List.of());
		doAnswer((invocation) -> {
			this.ran.add(invocation.getArgument(0));
			ran.countDown();
			return null;
		}).when(this.runner).run(any());
		TaskWorker worker = start(Set.of("report"), 1, 0);
		await().atMost(WAIT).until(() -> ran.getCount() == 0);
		assertThat(this.ran).containsExactly(claim);
		assertThat(worker.deadThreads()).isEmpty();
	}

	@Test
	void aFullRateWindowMakesTheDispatcherLookAgainWhenItAllowsInsteadOfAtItsPollInterval() {
		given(this.store.claim(anyString(), anyInt(), any(), any())).willAnswer((invocation) -> {
			this.claims.add(new Claim(invocation.getArgument(1), invocation.getArgument(3)));
			return List.of();
		});
		given(this.store.untilRateAllows()).willReturn(Duration.ofMillis(20));
		// Nothing wakes the dispatcher and its poll interval is an hour: only the rate's time makes it look again
		// (waiting for its idle poll, it would claim once).
		start(Set.of("mail"), 2, 0, Duration.ofHours(1));
		await().atMost(WAIT).until(() -> this.claims.size() >= 3);
	}

	private TaskWorker start(Set<String> tasks, int concurrency, int prefetch) {
		return start(tasks, concurrency, prefetch, Duration.ofMillis(50));
	}

	private TaskWorker start(Set<String> tasks, int concurrency, int prefetch, Duration pollInterval) {
		TaskWorker worker = new TaskWorker(this.store, this.runner, new WorkSignal(), this.supervisor, () -> tasks,
				concurrency, prefetch, pollInterval, pollInterval, Duration.ofSeconds(1));
		this.worker = worker;
		worker.start();
		return worker;
	}

	private record Claim(int limit, @Nullable Collection<String> tasks) {

		Claim {
			tasks = (tasks != null) ? new ArrayList<>(tasks) : null;
		}

	}

}
