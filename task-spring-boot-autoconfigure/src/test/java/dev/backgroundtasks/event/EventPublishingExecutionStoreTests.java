package dev.backgroundtasks.event;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventPublishingExecutionStore}.
 */
class EventPublishingExecutionStoreTests {

	@Test
	void aClaimRightAfterTheInsertCommittedPublishesRunningAfterReady() throws Exception {
		UUID id = UUID.randomUUID();
		CountDownLatch inserted = new CountDownLatch(1);
		CountDownLatch claimed = new CountDownLatch(1);
		AtomicReference<Thread> claimer = new AtomicReference<>();
		List<ExecutionEvent> published = new CopyOnWriteArrayList<>();
		ExecutionStore delegate = (ExecutionStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ExecutionStore.class }, (proxy, method, args) -> switch (method.getName()) {
					case "insert" -> {
						// Committed: a worker woken by another submission claims it before insert returns, and
						// this thread is descheduled until the claim waits for the READY event (or, were it not
						// to wait, has published RUNNING).
						inserted.countDown();
						claimed.await(5, TimeUnit.SECONDS);
						await().atMost(Duration.ofSeconds(5))
							.pollInterval(Duration.ofMillis(1))
							.until(() -> !published.isEmpty() || isWaiting(claimer.get()));
						yield id;
					}
					case "claim" -> {
						claimer.set(Thread.currentThread());
						claimed.countDown();
						yield List.of(new ClaimedExecution(id, "greet", "{}", 1, "n1", 1));
					}
					case "onReleased" -> null;
					default -> throw new UnsupportedOperationException(method.getName());
				});
		ExecutionEventPublisher events = new ExecutionEventPublisher((event) -> {
		}, List::of, (ids) -> Map.of(), List::of, ExecutionEventPublisher.DEFAULT_QUEUE_CAPACITY) {

			@Override
			public void publish(ExecutionEvent event) {
				published.add(event);
			}

		};
		EventPublishingExecutionStore store = new EventPublishingExecutionStore(delegate, events, (executionId) -> null);
		CompletableFuture<Void> insert = CompletableFuture
			.runAsync(() -> store.insert(NewExecution.of(id, "greet", TaskTrigger.CODE, "{}")));
		assertThat(inserted.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<List<ClaimedExecution>> claim = CompletableFuture
			.supplyAsync(() -> store.claim("n1", 1, Duration.ofSeconds(30)));
		insert.get(10, TimeUnit.SECONDS);
		assertThat(claim.get(10, TimeUnit.SECONDS)).hasSize(1);
		assertThat(published).map((event) -> ((ExecutionStatusEvent) event).status())
			.containsExactly(TaskStatus.READY, TaskStatus.RUNNING);
	}

	private static boolean isWaiting(Thread thread) {
		Thread.State state = thread.getState();
		return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
	}

}
