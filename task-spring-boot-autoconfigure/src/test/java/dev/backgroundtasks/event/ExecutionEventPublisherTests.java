package dev.backgroundtasks.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExecutionEventPublisher}: the bound of its queue and what happens past it, and the
 * listeners' executions read once per batch.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecutionEventPublisherTests {

	private final List<Object> applicationEvents = new CopyOnWriteArrayList<>();

	private final List<String> callbacks = new CopyOnWriteArrayList<>();

	private final List<Collection<UUID>> reads = new CopyOnWriteArrayList<>();

	private final Sink sink = new Sink();

	private final Map<UUID, Execution> stored = new HashMap<>();

	private final List<ExecutionEventPublisher> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(ExecutionEventPublisher::stop);
	}

	@Test
	void aQueueCapacityBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> publisher(List.of(), 0))
			.withMessage("background-tasks.events.queue-capacity must be at least 1, got 0");
	}

	@Test
	void aProducerFasterThanASlowListenerNeitherGrowsTheQueueNorWaits() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger starts = new AtomicInteger();
		TaskExecutionListener slow = new TaskExecutionListener() {

			@Override
			public void onStart(Execution execution) {
				starts.incrementAndGet();
				awaitOpen(release);
			}

		};
		ExecutionEventPublisher publisher = start(publisher(List.of(slow), 100));
		publisher.publish(status(execution(), TaskStatus.RUNNING));
		await().atMost(Duration.ofSeconds(30)).until(() -> starts.get() == 1);
		int events = 5_000;
		List<Integer> queued = new CopyOnWriteArrayList<>();
		// The listener holds the event thread; the producer must finish regardless.
		CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < events; i++) {
				publisher.publish(status(execution(), TaskStatus.RUNNING));
				queued.add(publisher.queuedCount());
			}
		});
		producer.get(60, TimeUnit.SECONDS);
		assertThat(release.getCount()).isEqualTo(1);
		assertThat(queued).allSatisfy((size) -> assertThat(size).isLessThanOrEqualTo(100));
		assertThat(publisher.queuedCount()).isEqualTo(100);
		assertThat(publisher.droppedCount()).isEqualTo(events - 100);
		release.countDown();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> publisher.queuedCount() == 0 && this.sink.droppedNotices() == publisher.droppedCount());
		// Every event was either delivered, listener callback included, or dropped and announced.
		assertThat(starts.get() + publisher.droppedCount()).isEqualTo(events + 1);
		assertThat(this.sink.delivered()).isEqualTo(starts.get());
	}

	@Test
	void eventsAboveTheCapacityAreDroppedCountedAndAnnouncedAfterThoseQueuedBefore(CapturedOutput output) {
		ExecutionEventPublisher publisher = publisher(List.of(), 10);
		for (int i = 0; i < 25; i++) {
			publisher.publish(status(execution(), TaskStatus.SUCCESSFUL));
		}
		assertThat(publisher.queuedCount()).isEqualTo(10);
		assertThat(publisher.droppedCount()).isEqualTo(15);
		assertThat(output).containsOnlyOnce("Background task events are being dropped")
			.contains("(1 so far)", "background-tasks.events.queue-capacity (10)");
		start(publisher);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.droppedNotices() == 15);
		assertThat(this.sink.calls).containsExactly("accept:10", "dropped:15");
		publisher.publish(status(execution(), TaskStatus.SUCCESSFUL));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == 11);
		assertThat(this.sink.calls).containsExactly("accept:10", "dropped:15", "accept:1");
	}

	@Test
	void eventsWithoutCallbacksLeaveTheLastTenthToThoseWithCallbacks() {
		ExecutionEventPublisher publisher = publisher(List.of(), 100);
		UUID id = execution();
		for (int i = 0; i < 200; i++) {
			publisher.publish(status(execution(), TaskStatus.READY));
		}
		publisher.publish(new ExecutionProgressEvent(id, "greet", 1, ExecutionProgress.of(1, 2, null)));
		publisher.publish(new ExecutionCustomEvent(id, "greet", 1, "note", null));
		assertThat(publisher.queuedCount()).isEqualTo(90);
		assertThat(publisher.droppedCount()).isEqualTo(112);
		for (int i = 0; i < 20; i++) {
			publisher.publish(status(execution(), (i % 2 == 0) ? TaskStatus.RUNNING : TaskStatus.FAILED));
		}
		assertThat(publisher.queuedCount()).isEqualTo(100);
		assertThat(publisher.droppedCount()).isEqualTo(122);
	}

	@Test
	void readsTheExecutionsOfABatchOnceAndCallsBackAsForEachEvent() {
		List<TaskExecutionListener> listeners = List.of(new Recording("first"), new Recording("second"));
		ExecutionEventPublisher publisher = publisher(listeners, 100);
		UUID a = execution();
		UUID b = execution();
		UUID ready = execution();
		List<ExecutionEvent> events = List.of(status(ready, TaskStatus.READY), status(a, TaskStatus.READY),
				status(a, TaskStatus.RUNNING), status(b, TaskStatus.RUNNING),
				new ExecutionProgressEvent(a, "greet", 1, ExecutionProgress.of(1, 2, null)),
				status(a, TaskStatus.SUCCESSFUL), status(b, TaskStatus.FAILED));
		// Queued before the event thread starts, so that they make one batch.
		events.forEach(publisher::publish);
		start(publisher);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == events.size());
		assertThat(this.reads).singleElement().satisfies((ids) -> assertThat(ids).containsExactly(a, b));
		assertThat(this.callbacks).containsExactly("first.onStart:" + a, "second.onStart:" + a,
				"first.onStart:" + b, "second.onStart:" + b, "first.onSuccess:" + a, "first.onComplete:" + a,
				"second.onSuccess:" + a, "second.onComplete:" + a, "first.onFailure:" + b, "first.onComplete:" + b,
				"second.onFailure:" + b, "second.onComplete:" + b);
		assertThat(this.applicationEvents).containsExactlyElementsOf(events);
	}

	@Test
	void readsOnlyTheExecutionsThatSomeListenerHasACallbackFor() {
		List<String> failures = new CopyOnWriteArrayList<>();
		TaskExecutionListener alerts = new TaskExecutionListener() {

			@Override
			public void onFailure(Execution execution) {
				failures.add(execution.id().toString());
			}

		};
		ExecutionEventPublisher publisher = publisher(List.of(alerts), 100);
		UUID succeeded = execution();
		UUID failed = execution();
		List<ExecutionEvent> events = List.of(status(succeeded, TaskStatus.RUNNING), status(failed, TaskStatus.RUNNING),
				status(succeeded, TaskStatus.SUCCESSFUL), status(failed, TaskStatus.FAILED));
		events.forEach(publisher::publish);
		start(publisher);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == events.size());
		assertThat(this.reads).singleElement().satisfies((ids) -> assertThat(ids).containsExactly(failed));
		assertThat(failures).containsExactly(failed.toString());
		assertThat(ListenerCallbacks.handledBy(new Recording("all"))).containsExactlyInAnyOrder(TaskStatus.RUNNING,
				TaskStatus.SUCCESSFUL, TaskStatus.FAILED, TaskStatus.CANCELLED);
	}

	@Test
	void readsNoExecutionWithoutListeners() {
		ExecutionEventPublisher publisher = start(publisher(List.of(), 100));
		UUID id = execution();
		publisher.publish(status(id, TaskStatus.RUNNING));
		publisher.publish(status(id, TaskStatus.SUCCESSFUL));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == 2);
		assertThat(this.reads).isEmpty();
		assertThat(this.applicationEvents).hasSize(2);
	}

	@Test
	void anExecutionThatIsGoneGetsNoCallbacks() {
		ExecutionEventPublisher publisher = publisher(List.of(new Recording("only")), 100);
		UUID kept = execution();
		UUID gone = execution();
		this.stored.remove(gone);
		publisher.publish(status(gone, TaskStatus.SUCCESSFUL));
		publisher.publish(status(kept, TaskStatus.SUCCESSFUL));
		start(publisher);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == 2);
		assertThat(this.callbacks).containsExactly("only.onSuccess:" + kept, "only.onComplete:" + kept);
	}

	@Test
	void aFailedReadSkipsTheCallbacksOfItsBatchOnly() {
		AtomicInteger calls = new AtomicInteger();
		ExecutionEventPublisher publisher = new ExecutionEventPublisher(this.applicationEvents::add,
				() -> List.of(new Recording("only")), (ids) -> {
					if (calls.incrementAndGet() == 1) {
						throw new IllegalStateException("The database is gone");
					}
					return read(ids);
				}, () -> List.of(this.sink), 100);
		UUID first = execution();
		UUID second = execution();
		publisher.publish(status(first, TaskStatus.SUCCESSFUL));
		start(publisher);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == 1);
		publisher.publish(status(second, TaskStatus.SUCCESSFUL));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sink.delivered() == 2);
		assertThat(this.applicationEvents).hasSize(2);
		assertThat(this.callbacks).containsExactly("only.onSuccess:" + second, "only.onComplete:" + second);
	}

	private ExecutionEventPublisher publisher(List<TaskExecutionListener> listeners, int capacity) {
		Function<Collection<UUID>, Map<UUID, Execution>> snapshots = this::read;
		return new ExecutionEventPublisher(this.applicationEvents::add, () -> listeners, snapshots,
				() -> List.of(this.sink), capacity);
	}

	private ExecutionEventPublisher start(ExecutionEventPublisher publisher) {
		publisher.start();
		this.started.add(publisher);
		return publisher;
	}

	private Map<UUID, Execution> read(Collection<UUID> ids) {
		this.reads.add(List.copyOf(ids));
		Map<UUID, Execution> found = new HashMap<>();
		for (UUID id : ids) {
			Execution execution = this.stored.get(id);
			if (execution != null) {
				found.put(id, execution);
			}
		}
		return found;
	}

	/** A stored execution, as the listeners' reads find it. */
	private UUID execution() {
		UUID id = UUID.randomUUID();
		this.stored.put(id, new Execution(id, "greet", TaskStatus.SUCCESSFUL, TaskTrigger.CODE, Map.of(), null, null,
				1, 3, 0, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, "n1", false, null,
				null, null));
		return id;
	}

	private static ExecutionStatusEvent status(UUID id, TaskStatus status) {
		return new ExecutionStatusEvent(id, "greet", status, (status == TaskStatus.READY) ? 0 : 1, "n1");
	}

	private static void awaitOpen(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private final class Recording implements TaskExecutionListener {

		private final String name;

		Recording(String name) {
			this.name = name;
		}

		@Override
		public void onStart(Execution execution) {
			record("onStart", execution);
		}

		@Override
		public void onSuccess(Execution execution) {
			record("onSuccess", execution);
		}

		@Override
		public void onFailure(Execution execution) {
			record("onFailure", execution);
		}

		@Override
		public void onComplete(Execution execution) {
			record("onComplete", execution);
		}

		private void record(String callback, Execution execution) {
			ExecutionEventPublisherTests.this.callbacks.add(this.name + "." + callback + ":" + execution.id());
		}

	}

	/** Records what it is passed: {@code accept:<n>} and {@code dropped:<n>}, in order. */
	private static final class Sink implements ExecutionEventSink {

		final List<String> calls = new CopyOnWriteArrayList<>();

		private final AtomicInteger delivered = new AtomicInteger();

		private final AtomicInteger dropped = new AtomicInteger();

		@Override
		public void accept(List<SequencedEvent> events) {
			this.calls.add("accept:" + events.size());
			this.delivered.addAndGet(events.size());
		}

		@Override
		public void dropped(long count) {
			this.calls.add("dropped:" + count);
			this.dropped.addAndGet((int) count);
		}

		int delivered() {
			return this.delivered.get();
		}

		long droppedNotices() {
			return this.dropped.get();
		}

	}

}
