package dev.backgroundtasks.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.support.FinishedExecutions;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Lets callers wait for an execution to finish. A local worker signals the end of each execution at
 * once; executions finished by other nodes are seen by re-reading, with a backoff up to one second.
 * {@link #awaitAsync} holds no thread while it waits (the REST long-poll uses it), {@link #await} blocks
 * its caller on it: reads after the first run on two daemon threads of its own, started on first use and
 * stopped by {@link #close()}.
 */
public class ExecutionWaiters implements FinishedExecutions, AutoCloseable {

	private static final long FIRST_POLL_MILLIS = 25;

	private static final long MAX_POLL_MILLIS = 1000;

	private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

	private final ExecutionQueries queries;

	private volatile @Nullable ScheduledThreadPoolExecutor executor;

	public ExecutionWaiters(ExecutionQueries queries) {
		this.queries = queries;
	}

	/**
	 * Signals that an execution reached a terminal state on this node.
	 * @param id the execution id
	 */
	@Override
	public void finished(UUID id) {
		CompletableFuture<Void> signal = this.waiting.remove(id);
		if (signal != null) {
			signal.complete(null);
		}
	}

	/**
	 * Waits until an execution is terminal or the timeout passes.
	 * @param id the execution id
	 * @param timeout how long to wait at most
	 * @return the last snapshot read, terminal or not; empty when there is no such execution
	 */
	public Optional<Execution> await(UUID id, Duration timeout) {
		CompletableFuture<Optional<Execution>> wait = awaitAsync(id, timeout);
		try {
			return wait.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			wait.cancel(false);
			return this.queries.find(id);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException failure) ? failure
					: new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * Waits, without holding the caller's thread, until an execution is terminal or the timeout passes.
	 * The first read happens in the caller's thread.
	 * @param id the execution id
	 * @param timeout how long to wait at most
	 * @return completed with the last snapshot read, terminal or not, or empty when there is no such
	 * execution; exceptionally when reading failed
	 */
	public CompletableFuture<Optional<Execution>> awaitAsync(UUID id, Duration timeout) {
		AsyncWait wait = new AsyncWait(id, System.nanoTime() + timeout.toNanos());
		wait.run();
		return wait.result;
	}

	/**
	 * Stops the threads of {@link #awaitAsync}; waits still pending end exceptionally at their next read.
	 */
	@Override
	public void close() {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	private ScheduledThreadPoolExecutor executor() {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor == null) {
			synchronized (this) {
				executor = this.executor;
				if (executor == null) {
					CustomizableThreadFactory threads = new CustomizableThreadFactory("bgt-wait-");
					threads.setDaemon(true);
					executor = new ScheduledThreadPoolExecutor(2, threads);
					executor.setRemoveOnCancelPolicy(true);
					this.executor = executor;
				}
			}
		}
		return executor;
	}

	/**
	 * One asynchronous wait: each round reads the execution, then schedules the next read after the
	 * backoff, or at once when this node signals that the execution finished, whichever comes first.
	 */
	private final class AsyncWait implements Runnable {

		private final UUID id;

		private final long deadline;

		private final CompletableFuture<Optional<Execution>> result = new CompletableFuture<>();

		/** Only touched by one round at a time: rounds follow each other through the executor. */
		private long poll = FIRST_POLL_MILLIS;

		AsyncWait(UUID id, long deadline) {
			this.id = id;
			this.deadline = deadline;
		}

		@Override
		public void run() {
			if (this.result.isDone()) {
				// Cancelled: its blocking caller was interrupted.
				return;
			}
			// Registered before reading, so a finish between the read and the next round is not missed.
			CompletableFuture<Void> signal = ExecutionWaiters.this.waiting.computeIfAbsent(this.id,
					(key) -> new CompletableFuture<>());
			try {
				Optional<Execution> execution = ExecutionWaiters.this.queries.find(this.id);
				long remaining = this.deadline - System.nanoTime();
				if (execution.isEmpty() || execution.get().status().isTerminal() || remaining <= 0) {
					ExecutionWaiters.this.waiting.remove(this.id, signal);
					this.result.complete(execution);
					return;
				}
				long delay = Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, this.poll);
				this.poll = Math.min(this.poll * 2, MAX_POLL_MILLIS);
				AtomicBoolean next = new AtomicBoolean();
				ScheduledFuture<?> timer = executor().schedule(() -> nextRound(next), delay, TimeUnit.MILLISECONDS);
				signal.thenRun(() -> {
					timer.cancel(false);
					nextRound(next);
				});
			}
			catch (RuntimeException ex) {
				ExecutionWaiters.this.waiting.remove(this.id, signal);
				this.result.completeExceptionally(ex);
			}
		}

		/**
		 * Starts the next round once, on the executor: the signal may fire on a worker's thread.
		 */
		private void nextRound(AtomicBoolean next) {
			if (next.compareAndSet(false, true)) {
				try {
					executor().execute(this);
				}
				catch (RejectedExecutionException ex) {
					this.result.completeExceptionally(ex);
				}
			}
		}

	}

}
