package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.backgroundtasks.Execution;

/**
 * Lets callers wait for an execution to finish. A local worker signals the end of each execution at
 * once; executions finished by other nodes are seen by re-reading, with a backoff up to one second.
 */
public class ExecutionWaiters {

	private static final long FIRST_POLL_MILLIS = 25;

	private static final long MAX_POLL_MILLIS = 1000;

	private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

	private final ExecutionQueries queries;

	public ExecutionWaiters(ExecutionQueries queries) {
		this.queries = queries;
	}

	/**
	 * Signals that an execution reached a terminal state on this node.
	 * @param id the execution id
	 */
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
		long deadline = System.nanoTime() + timeout.toNanos();
		long poll = FIRST_POLL_MILLIS;
		while (true) {
			// Registered before reading, so a finish between the read and the wait is not missed.
			CompletableFuture<Void> signal = this.waiting.computeIfAbsent(id, (key) -> new CompletableFuture<>());
			Optional<Execution> execution = this.queries.find(id);
			long remaining = deadline - System.nanoTime();
			if (execution.isEmpty() || execution.get().status().isTerminal() || remaining <= 0) {
				this.waiting.remove(id, signal);
				return execution;
			}
			try {
				signal.get(Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, poll), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				poll = Math.min(poll * 2, MAX_POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.waiting.remove(id, signal);
				return this.queries.find(id);
			}
		}
	}

}
