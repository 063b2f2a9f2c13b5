package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.execution.ClaimedExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerThreads}, with a runner that holds each execution until released.
 */
class WorkerThreadsTests {

	private final List<ClaimedExecution> started = new CopyOnWriteArrayList<>();

	private final List<ClaimedExecution> interrupted = new CopyOnWriteArrayList<>();

	private final CountDownLatch finish = new CountDownLatch(1);

	private final List<ClaimedExecution> handedBack = new CopyOnWriteArrayList<>();

	private final AtomicInteger handBackRunningCalls = new AtomicInteger();

	private final List<Thread> runningThreads = new CopyOnWriteArrayList<>();

	private WorkerThreads threads = new WorkerThreads(1, this::run, "node-a");

	@AfterEach
	void finishAll() {
		this.finish.countDown();
		this.threads.stop(Duration.ofSeconds(10), (claim) -> false, () -> 0);
	}

	@Test
	void runsOnTheThreadsAndQueuesWhatFindsNoIdleThread() {
		this.threads = new WorkerThreads(2, this::run, "node-a");
		assertThat(this.threads.hasIdleThread()).isTrue();
		ClaimedExecution first = claim();
		this.threads.execute(first);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 1);
		assertThat(this.threads.hasIdleThread()).isTrue();
		assertThat(this.threads.hasQueuedWork()).isFalse();
		this.threads.execute(claim());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 2);
		assertThat(this.threads.hasIdleThread()).isFalse();
		assertThat(this.threads.hasQueuedWork()).isFalse();
		this.threads.execute(claim());
		assertThat(this.threads.hasQueuedWork()).isTrue();
		assertThat(this.threads.hasIdleThread()).isFalse();
		this.finish.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 3);
		await().atMost(Duration.ofSeconds(10)).until(this.threads::hasIdleThread);
		assertThat(this.threads.hasQueuedWork()).isFalse();
	}

	@Test
	void stopHandsBackWhatIsQueuedAndWaitsForWhatRuns() throws Exception {
		ClaimedExecution running = claim();
		ClaimedExecution second = claim();
		ClaimedExecution third = claim();
		this.threads.execute(running);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 1);
		this.threads.execute(second);
		this.threads.execute(third);
		CompletableFuture<Void> stop = CompletableFuture
			.runAsync(() -> this.threads.stop(Duration.ofSeconds(30), this::handBack, this::handBackRunning));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handedBack.size() == 2);
		assertThat(stop).isNotDone();
		this.finish.countDown();
		stop.get(10, TimeUnit.SECONDS);
		assertThat(this.handedBack).containsExactly(second, third);
		assertThat(this.started).containsExactly(running);
		assertThat(this.interrupted).isEmpty();
		assertThat(this.handBackRunningCalls).hasValue(0);
	}

	@Test
	void stopAsksWhatStillRunsAfterTheTimeoutToStopAndWaitsForItToEnd() {
		ClaimedExecution running = claim();
		this.threads.execute(running);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 1);
		this.threads.stop(Duration.ofMillis(100), this::handBack, () -> {
			// As the supervisor does: interrupt, and the runner hands it back once its task returned.
			this.runningThreads.forEach(Thread::interrupt);
			return handBackRunning();
		});
		assertThat(this.handBackRunningCalls).hasValue(1);
		assertThat(this.interrupted).as("ended before stop returned").containsExactly(running);
		assertThat(this.handedBack).as("queued ones only").isEmpty();
	}

	@Test
	void stopLeavesAnAttemptThatIgnoresTheInterruptRunningAfterAGrace() {
		CountDownLatch ignoring = new CountDownLatch(1);
		this.threads = new WorkerThreads(1, (claim) -> {
			this.started.add(claim);
			while (ignoring.getCount() > 0) {
				try {
					ignoring.await();
				}
				catch (InterruptedException ex) {
					this.interrupted.add(claim);
				}
			}
		}, "node-a");
		ClaimedExecution stubborn = claim();
		this.threads.execute(stubborn);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.started.size() == 1);
		long start = System.nanoTime();
		this.threads.stop(Duration.ofMillis(100), this::handBack, this::handBackRunning);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WorkerThreads.HAND_BACK_GRACE);
		assertThat(this.handedBack).as("never handed back while it runs").isEmpty();
		ignoring.countDown();
	}

	@Test
	void refusesExecutionsOnceStopped() {
		this.threads.stop(Duration.ofSeconds(1), this::handBack, this::handBackRunning);
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.threads.execute(claim()));
		assertThat(this.started).isEmpty();
		assertThat(this.handBackRunningCalls).hasValue(0);
	}

	private void run(ClaimedExecution claim) {
		this.runningThreads.add(Thread.currentThread());
		this.started.add(claim);
		try {
			this.finish.await();
		}
		catch (InterruptedException ex) {
			this.interrupted.add(claim);
		}
	}

	private boolean handBack(ClaimedExecution claim) {
		return this.handedBack.add(claim);
	}

	private int handBackRunning() {
		return this.handBackRunningCalls.incrementAndGet();
	}

	private static ClaimedExecution claim() {
		return new ClaimedExecution(UUID.randomUUID(), "import", "{}", 1, "node-a", 3);
	}

}
