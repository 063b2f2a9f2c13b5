package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.FinishedExecutions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Records successful attempts in batches: the worker thread hands the result over and takes the next
 * execution, while one writer records everything that has piled up in one fenced statement. Batches
 * form by themselves under load (whatever finished while the previous batch was being written) and add
 * no wait when idle. A batch whose write fails is written again until it succeeds (see
 * {@link WriteRetries}), its executions held meanwhile so that their leases stay extended: a success is
 * never run again or failed because its result took a while to write. Only when the node stops for good
 * with the database unreachable are queued results lost; their executions run again after their lease
 * expires (at-least-once, as for a crash during the attempt). The observers learn each outcome once it is
 * written.
 */
public class CompletionBatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CompletionBatcher.class);

	private static final long IDLE_WAIT_MILLIS = 200;

	private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

	private final ExecutionStore store;

	private final FinishedExecutions waiters;

	private final AttemptSupervisor supervisor;

	private final int batchSize;

	private final BlockingQueue<Finished> queue;

	private final Duration stopTimeout;

	private volatile boolean running;

	private volatile boolean dead;

	private @Nullable Thread writer;

	/**
	 * @param store the store
	 * @param waiters told about every execution that finished
	 * @param supervisor holds the leases of the executions until their outcome is written
	 * @param batchSize the most completions one statement records
	 */
	public CompletionBatcher(ExecutionStore store, FinishedExecutions waiters, AttemptSupervisor supervisor,
			int batchSize) {
		this(store, waiters, supervisor, batchSize, DEFAULT_STOP_TIMEOUT);
	}

	/**
	 * @param store the store
	 * @param waiters told about every execution that finished
	 * @param supervisor holds the leases of the executions until their outcome is written
	 * @param batchSize the most completions one statement records
	 * @param stopTimeout how long stopping waits for the queued results to be written before it gives up on
	 * them (their executions run again once their leases expire)
	 */
	public CompletionBatcher(ExecutionStore store, FinishedExecutions waiters, AttemptSupervisor supervisor,
			int batchSize, Duration stopTimeout) {
		this.store = store;
		this.waiters = waiters;
		this.supervisor = supervisor;
		this.batchSize = batchSize;
		this.stopTimeout = stopTimeout;
		this.queue = new ArrayBlockingQueue<>(batchSize * 4);
	}

	/**
	 * Queues a success for recording; blocks while the queue is full (back-pressure on the workers).
	 * @param completion the success
	 */
	void complete(Completion completion) {
		complete(completion, ExecutionObserver.AttemptObservation.NONE);
	}

	/**
	 * Queues a success for recording; blocks while the queue is full (back-pressure on the workers).
	 * @param completion the success
	 * @param observation ended with the outcome once it is written
	 */
	void complete(Completion completion, ExecutionObserver.AttemptObservation observation) {
		Finished finished = new Finished(completion, observation);
		if (!this.running) {
			write(List.of(finished));
			return;
		}
		try {
			this.queue.put(finished);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			write(List.of(finished));
		}
	}

	private void writeLoop() {
		List<Finished> batch = new ArrayList<>(this.batchSize);
		try {
			while (this.running || !this.queue.isEmpty()) {
				try {
					Finished first = this.queue.poll(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
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
					// Interrupted while trying again (the node stops for good): left RUNNING and no longer
					// held, their leases expire and they run again; nothing is lost.
					logger.error("Could not record " + batch.size() + " successful executions; they run again once"
							+ " their leases expire", ex);
				}
				catch (Error ex) {
					// Keep writing: a dead writer would block every worker thread on a full queue.
					logger.error("Unexpected error in the background task completion writer", ex);
					release(batch, AttemptOutcome.LOST);
				}
				finally {
					batch.clear();
				}
			}
		}
		finally {
			this.dead = this.running;
		}
	}

	private void write(List<Finished> batch) {
		Set<UUID> written;
		try {
			List<Completion> completions = batch.stream().map(Finished::completion).toList();
			written = WriteRetries.untilWritten(batch.size() + " successful executions",
					() -> this.store.completeAll(completions));
		}
		catch (RuntimeException ex) {
			release(batch, AttemptOutcome.LOST);
			throw ex;
		}
		for (Finished finished : batch) {
			Completion completion = finished.completion();
			UUID id = completion.claim().id();
			this.supervisor.release(id);
			if (written.contains(id)) {
				finished.observation().ended(AttemptOutcome.SUCCESS, null);
				this.waiters.finished(id);
			}
			else {
				finished.observation().ended(AttemptOutcome.LOST, null);
				logger.warn("Execution " + id + " of task '" + completion.claim().task() + "' (attempt "
						+ completion.claim().attempt() + ") is no longer held by node " + completion.claim().node()
						+ "; its result was discarded");
			}
		}
	}

	private void release(List<Finished> batch, AttemptOutcome outcome) {
		for (Finished finished : batch) {
			this.supervisor.release(finished.completion().claim().id());
			finished.observation().ended(outcome, null);
		}
	}

	/**
	 * @return whether the writer thread ended while the batcher runs
	 */
	public boolean isDead() {
		Thread thread = this.writer;
		return this.running && (this.dead || (thread != null && !thread.isAlive()));
	}

	@Override
	public synchronized void start() {
		this.running = true;
		this.dead = false;
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
				// Drains what is queued; no interrupt unless that takes too long (the database is gone),
				// since an interrupt can close an H2 database mid-statement.
				thread.join(this.stopTimeout.toMillis());
				if (thread.isAlive()) {
					logger.warn("Could not record the queued successful executions within " + this.stopTimeout
							+ "; they run again once their leases expire");
					thread.interrupt();
					thread.join(1000);
				}
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

	/**
	 * A success waiting to be written, and the observation of its attempt.
	 */
	private record Finished(Completion completion, ExecutionObserver.AttemptObservation observation) {
	}

}
