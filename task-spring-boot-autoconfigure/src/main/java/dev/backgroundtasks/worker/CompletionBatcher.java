package dev.backgroundtasks.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.FinishedExecutions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Records successful attempts in batches: the worker thread hands the result over and takes the next
 * execution, while one writer records everything that has piled up in one fenced statement. Batches
 * form by themselves under load (whatever finished while the previous batch was being written) and add
 * no wait when idle. A node that dies loses at most the queued results; their executions run again
 * after their lease expires (at-least-once, as for a crash during the attempt).
 */
public class CompletionBatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CompletionBatcher.class);

	private static final long IDLE_WAIT_MILLIS = 200;

	private static final int WRITE_ATTEMPTS = 3;

	private final ExecutionStore store;

	private final FinishedExecutions waiters;

	private final AttemptSupervisor supervisor;

	private final int batchSize;

	private final BlockingQueue<Completion> queue;

	private volatile boolean running;

	private @Nullable Thread writer;

	/**
	 * @param store the store
	 * @param waiters told about every execution that finished
	 * @param supervisor holds the leases of the executions until their outcome is written
	 * @param batchSize the most completions one statement records
	 */
	public CompletionBatcher(ExecutionStore store, FinishedExecutions waiters, AttemptSupervisor supervisor,
			int batchSize) {
		this.store = store;
		this.waiters = waiters;
		this.supervisor = supervisor;
		this.batchSize = batchSize;
		this.queue = new ArrayBlockingQueue<>(batchSize * 4);
	}

	/**
	 * Queues a success for recording; blocks while the queue is full (back-pressure on the workers).
	 * @param completion the success
	 */
	void complete(Completion completion) {
		if (!this.running) {
			write(List.of(completion));
			return;
		}
		try {
			this.queue.put(completion);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			write(List.of(completion));
		}
	}

	private void writeLoop() {
		List<Completion> batch = new ArrayList<>(this.batchSize);
		while (this.running || !this.queue.isEmpty()) {
			try {
				Completion first = this.queue.poll(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, this.batchSize - 1);
				write(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// Left RUNNING and no longer held: their leases expire and they run again; nothing is lost.
				logger.error("Could not record " + batch.size() + " successful executions; they run again once"
						+ " their leases expire", ex);
			}
			finally {
				batch.clear();
			}
		}
	}

	private void write(List<Completion> batch) {
		Set<UUID> written;
		try {
			written = writeRetrying(batch);
		}
		finally {
			// Written, or given up on: their leases now expire unless written, and they run again.
			batch.forEach((completion) -> this.supervisor.release(completion.claim().id()));
		}
		for (Completion completion : batch) {
			UUID id = completion.claim().id();
			if (written.contains(id)) {
				this.waiters.finished(id);
			}
			else {
				logger.warn("Execution " + id + " of task '" + completion.claim().task() + "' (attempt "
						+ completion.claim().attempt() + ") is no longer held by node " + completion.claim().node()
						+ "; its result was discarded");
			}
		}
	}

	/**
	 * Writes a batch, again after a short pause when it fails (a deadlock or a dropped connection is
	 * usually gone by then): every completion is fenced, so writing one twice is harmless.
	 */
	private Set<UUID> writeRetrying(List<Completion> batch) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.store.completeAll(batch);
			}
			catch (RuntimeException ex) {
				if (attempt >= WRITE_ATTEMPTS) {
					throw ex;
				}
				logger.warn("Could not record " + batch.size() + " successful executions (" + ex
						+ "); trying again");
				pause(attempt * 100L);
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized void start() {
		this.running = true;
		Thread thread = new Thread(this::writeLoop, "bgt-completions");
		thread.setDaemon(true);
		this.writer = thread;
		thread.start();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread thread = this.writer;
		if (thread != null) {
			try {
				// Drains what is queued; no interrupt, which could close an H2 database mid-statement.
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops after the worker, whose last attempts queue their results, and before the supervisor.
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
