package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

/**
 * Tests for {@link CompletionBatcher}, with a mocked store whose writes can be held back so that
 * completions pile up.
 */
class CompletionBatcherTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutionStore store = mock(ExecutionStore.class);

	private final AttemptSupervisor supervisor = spy(new AttemptSupervisor(this.store, new WorkSignal(), "node-a",
			Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(1), ExecutionObserver.NONE));

	private final List<UUID> finished = new CopyOnWriteArrayList<>();

	/** The ids of each write, in order. */
	private final List<List<UUID>> writes = new CopyOnWriteArrayList<>();

	private final CountDownLatch writeAllowed = new CountDownLatch(1);

	private CompletionBatcher batcher = new CompletionBatcher(this.store, this.finished::add, this.supervisor, 10);

	@AfterEach
	void stop() {
		this.writeAllowed.countDown();
		this.batcher.stop();
	}

	@Test
	void completionsThatPileUpDuringAWriteAreWrittenTogether() {
		writesHeldBack((batch) -> Set.copyOf(ids(batch)));
		this.batcher.start();
		Completion first = completion();
		this.batcher.complete(first);
		await().atMost(WAIT).until(() -> this.writes.size() == 1);
		List<Completion> piled = List.of(completion(), completion(), completion(), completion());
		piled.forEach(this.batcher::complete);
		this.writeAllowed.countDown();
		await().atMost(WAIT).until(() -> this.finished.size() == 5);
		assertThat(this.writes).containsExactly(List.of(id(first)), piled.stream().map(this::id).toList());
		assertThat(this.finished).containsExactly(id(first), id(piled.get(0)), id(piled.get(1)), id(piled.get(2)),
				id(piled.get(3)));
	}

	@Test
	void oneWriteTakesAtMostTheBatchSize() {
		this.batcher = new CompletionBatcher(this.store, this.finished::add, this.supervisor, 2);
		writesHeldBack((batch) -> Set.copyOf(ids(batch)));
		this.batcher.start();
		Completion first = completion();
		this.batcher.complete(first);
		await().atMost(WAIT).until(() -> this.writes.size() == 1);
		List<Completion> piled = List.of(completion(), completion(), completion(), completion(), completion());
		piled.forEach(this.batcher::complete);
		this.writeAllowed.countDown();
		await().atMost(WAIT).until(() -> this.finished.size() == 6);
		assertThat(this.writes).containsExactly(List.of(id(first)), List.of(id(piled.get(0)), id(piled.get(1))),
				List.of(id(piled.get(2)), id(piled.get(3))), List.of(id(piled.get(4))));
	}

	@Test
	void onlyCompletionsWrittenUnderTheirClaimReachTheWaitersAndAllLeasesAreReleased() {
		Completion held = completion();
		Completion lost = completion();
		writesHeldBack((batch) -> Set.of(id(held)));
		this.batcher.start();
		this.writeAllowed.countDown();
		this.batcher.complete(held);
		this.batcher.complete(lost);
		await().atMost(WAIT).until(() -> this.writes.stream().mapToInt(List::size).sum() == 2);
		await().atMost(WAIT).untilAsserted(() -> {
			then(this.supervisor).should().release(id(held));
			then(this.supervisor).should().release(id(lost));
		});
		assertThat(this.finished).containsExactly(id(held));
	}

	@Test
	void aFailingWriteIsTriedAgain() {
		AtomicInteger calls = new AtomicInteger();
		writesHeldBack((batch) -> {
			if (calls.incrementAndGet() < 3) {
				throw new IllegalStateException("deadlock");
			}
			return Set.copyOf(ids(batch));
		});
		this.writeAllowed.countDown();
		this.batcher.start();
		Completion completion = completion();
		this.batcher.complete(completion);
		await().atMost(WAIT).until(() -> this.finished.size() == 1);
		assertThat(this.writes).containsExactly(List.of(id(completion)), List.of(id(completion)),
				List.of(id(completion)));
		assertThat(this.finished).containsExactly(id(completion));
	}

	@Test
	void aWriteThatFailsIsWrittenAgainUntilItSucceedsKeepingTheLeaseMeanwhile() {
		Completion failing = completion();
		AtomicInteger failures = new AtomicInteger();
		writesHeldBack((batch) -> {
			if (failures.getAndIncrement() < 4) {
				throw new IllegalStateException("connection lost");
			}
			return Set.copyOf(ids(batch));
		});
		this.writeAllowed.countDown();
		this.batcher.start();
		List<AttemptOutcome> outcomes = new CopyOnWriteArrayList<>();
		this.batcher.complete(failing, (outcome, failure) -> outcomes.add(outcome));
		await().atMost(WAIT).until(() -> this.finished.contains(id(failing)));
		assertThat(this.writes).hasSize(5).allSatisfy((batch) -> assertThat(batch).containsExactly(id(failing)));
		then(this.supervisor).should().release(id(failing));
		assertThat(outcomes).as("the outcome written, once").containsExactly(AttemptOutcome.SUCCESS);
	}

	@Test
	void aResultNoLongerHeldIsLostAndTheObserverIsToldSo() {
		Completion stale = completion();
		writesHeldBack((batch) -> Set.of());
		this.writeAllowed.countDown();
		this.batcher.start();
		List<AttemptOutcome> outcomes = new CopyOnWriteArrayList<>();
		this.batcher.complete(stale, (outcome, failure) -> outcomes.add(outcome));
		await().atMost(WAIT).untilAsserted(() -> then(this.supervisor).should().release(id(stale)));
		assertThat(outcomes).containsExactly(AttemptOutcome.LOST);
		assertThat(this.finished).isEmpty();
	}

	@Test
	void writesInTheCallingThreadWhenNotStarted() {
		writesHeldBack((batch) -> Set.copyOf(ids(batch)));
		this.writeAllowed.countDown();
		Completion completion = completion();
		this.batcher.complete(completion);
		assertThat(this.writes).containsExactly(List.of(id(completion)));
		assertThat(this.finished).containsExactly(id(completion));
		then(this.supervisor).should().release(id(completion));
	}

	@Test
	void stopWritesWhatIsQueued() throws Exception {
		writesHeldBack((batch) -> Set.copyOf(ids(batch)));
		this.batcher.start();
		this.batcher.complete(completion());
		await().atMost(WAIT).until(() -> this.writes.size() == 1);
		this.batcher.complete(completion());
		this.batcher.complete(completion());
		CompletableFuture<Void> stop = CompletableFuture.runAsync(this.batcher::stop);
		await().atMost(WAIT).until(() -> !this.batcher.isRunning());
		assertThat(stop).isNotDone();
		this.writeAllowed.countDown();
		stop.get(10, TimeUnit.SECONDS);
		assertThat(this.finished).hasSize(3);
	}

	/**
	 * Makes the store record each write, wait until writes are allowed, and answer what {@code written}
	 * says.
	 */
	private void writesHeldBack(Function<List<Completion>, Set<UUID>> written) {
		given(this.store.completeAll(any())).willAnswer((invocation) -> {
			List<Completion> batch = batch(invocation);
			this.writes.add(ids(batch));
			this.writeAllowed.await(10, TimeUnit.SECONDS);
			return written.apply(batch);
		});
	}

	private static List<Completion> batch(InvocationOnMock invocation) {
		// The batcher reuses its list: copy it.
		return List.copyOf(invocation.<List<Completion>>getArgument(0));
	}

	private static List<UUID> ids(List<Completion> batch) {
		return batch.stream().map((completion) -> completion.claim().id()).toList();
	}

	private UUID id(Completion completion) {
		return completion.claim().id();
	}

	private static Completion completion() {
		return new Completion(new ClaimedExecution(UUID.randomUUID(), "report", "{}", 1, "node-a", 3), "\"done\"");
	}

}
