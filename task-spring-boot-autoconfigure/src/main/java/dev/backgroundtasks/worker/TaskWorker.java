package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.command.LocalStart;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.WorkSignal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The worker of one node. A dispatcher thread claims as many due executions as there are free slots
 * on a bounded pool, hands them to the pool, and sleeps until a slot frees up, a local submission
 * wakes it, or the poll interval passes (the fallback for work submitted on other nodes).
 */
public class TaskWorker implements SmartLifecycle, LocalStart {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final ExecutionStore store;

	private final ExecutionRunner runner;

	private final WorkSignal signal;

	private final AttemptSupervisor supervisor;

	private final String node;

	private final int concurrency;

	private final Duration pollInterval;

	private final IdlePolls idlePolls;

	private final Duration shutdownTimeout;

	private final Semaphore slots;

	private final int prefetch;

	private final ExecutionDurations durations = new ExecutionDurations();

	/** How many free slots make a claim worthwhile now; set by the dispatcher before it waits. */
	private volatile int wakeAt = 1;

	private volatile boolean running;

	private @Nullable Thread dispatcher;

	private @Nullable WorkerThreads threads;

	/**
	 * @param store the store to claim from
	 * @param runner runs each claimed execution
	 * @param signal wakes the dispatcher on local submissions
	 * @param supervisor watches the running attempts; its node and lease are used for every claim
	 * @param concurrency how many executions run at once on this node
	 * @param prefetch how many more to claim ahead and queue locally at most, so threads never wait on a
	 * claim; fewer when recent executions took long (see {@link ExecutionDurations})
	 * @param pollInterval how often to look for work when nothing wakes the dispatcher
	 * @param shutdownTimeout how long stopping waits for running executions
	 */
	public TaskWorker(ExecutionStore store, ExecutionRunner runner, WorkSignal signal, AttemptSupervisor supervisor,
			int concurrency, int prefetch, Duration pollInterval, Duration shutdownTimeout) {
		this(store, runner, signal, supervisor, concurrency, prefetch, pollInterval, pollInterval, shutdownTimeout);
	}

	/**
	 * @param store the store to claim from
	 * @param runner runs each claimed execution
	 * @param signal wakes the dispatcher on local submissions
	 * @param supervisor watches the running attempts; its node and lease are used for every claim
	 * @param concurrency how many executions run at once on this node
	 * @param prefetch how many more to claim ahead and queue locally at most, so threads never wait on a
	 * claim; fewer when recent executions took long (see {@link ExecutionDurations})
	 * @param minPollInterval how soon to look again after a look that found work, when nothing wakes the
	 * dispatcher; the wait doubles after each look that finds none, up to {@code pollInterval} (see
	 * {@link IdlePolls})
	 * @param pollInterval how often to look for work at most when nothing wakes the dispatcher
	 * @param shutdownTimeout how long stopping waits for running executions
	 */
	public TaskWorker(ExecutionStore store, ExecutionRunner runner, WorkSignal signal, AttemptSupervisor supervisor,
			int concurrency, int prefetch, Duration minPollInterval, Duration pollInterval, Duration shutdownTimeout) {
		this.store = store;
		this.runner = runner;
		this.signal = signal;
		this.supervisor = supervisor;
		this.node = supervisor.node();
		this.concurrency = concurrency;
		this.pollInterval = pollInterval;
		this.idlePolls = new IdlePolls(minPollInterval, pollInterval);
		this.shutdownTimeout = shutdownTimeout;
		this.slots = new Semaphore(concurrency + prefetch);
		this.prefetch = prefetch;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.threads = new WorkerThreads(this.concurrency, this::run, this.node);
		Thread thread = new Thread(this::dispatch, "bgt-dispatcher");
		thread.setDaemon(true);
		this.dispatcher = thread;
		thread.start();
		logger.info("Background task worker started on node " + this.node + " with concurrency " + this.concurrency);
	}

	private void dispatch() {
		while (this.running) {
			try {
				// Any finished execution may make a claim worthwhile unless this round says otherwise.
				this.wakeAt = 1;
				if (!this.slots.tryAcquire(this.pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
					continue;
				}
				if (!this.running) {
					this.slots.release();
					return;
				}
				ClaimSizing.Size size = ClaimSizing.size(1 + this.slots.drainPermits(),
						this.durations.prefetch(this.concurrency, this.prefetch), this.prefetch, hasQueuedWork());
				// Set before the slots are given back: while it waits for a batch, finishing executions wake
				// this thread only once there are enough free slots (see finished()), not each time.
				this.wakeAt = size.wakeAt();
				this.slots.release(size.release());
				if (size.claim() == 0) {
					if (!size.waitsForBatch() || (this.slots.availablePermits() < size.wakeAt() && hasQueuedWork())) {
						this.signal.await(this.pollInterval);
					}
					continue;
				}
				int wanted = size.claim();
				List<ClaimedExecution> claimed = claim(wanted);
				this.slots.release(Math.max(0, wanted - claimed.size()));
				this.supervisor.hold(claimed);
				claimed.forEach(this::submit);
				if (claimed.size() < wanted) {
					// Everything due was claimed: wait for a wake-up or the next look, sooner while work arrives.
					this.signal.await(this.idlePolls.afterClaim(claimed.size()));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// Keep dispatching: a dead dispatcher would silently stop this node's work.
				logger.error("Unexpected error in the background task dispatcher on node " + this.node, ex);
			}
		}
	}

	/**
	 * Frees the slot of a finished execution and wakes the dispatcher when that can make it claim: enough
	 * slots are free, or this node's threads have nothing queued.
	 */
	private void finished() {
		this.slots.release();
		if (this.slots.availablePermits() >= this.wakeAt || !hasQueuedWork()) {
			this.signal.wake();
		}
	}

	/**
	 * Runs one claimed execution in a worker thread, then frees its slot.
	 */
	private void run(ClaimedExecution claim) {
		long start = System.nanoTime();
		try {
			this.runner.run(claim);
			this.durations.record(System.nanoTime() - start);
		}
		catch (RuntimeException ex) {
			logger.error("Could not record the outcome of execution " + claim.id(), ex);
		}
		finally {
			finished();
		}
	}

	private boolean hasQueuedWork() {
		WorkerThreads threads = this.threads;
		return threads != null && threads.hasQueuedWork();
	}

	private List<ClaimedExecution> claim(int wanted) throws InterruptedException {
		try {
			List<ClaimedExecution> claimed = this.store.claim(this.node, wanted, this.supervisor.lease());
			if (claimed.size() > wanted) {
				logger.error("Claimed " + claimed.size() + " executions but asked for " + wanted + " on node " + this.node);
			}
			return claimed;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not claim executions; retrying in " + this.pollInterval, ex);
			Thread.sleep(this.pollInterval.toMillis());
			return List.of();
		}
	}

	private void submit(ClaimedExecution claim) {
		WorkerThreads threads = this.threads;
		try {
			if (threads == null) {
				throw new RejectedExecutionException("The worker of node " + this.node + " is not running");
			}
			threads.execute(claim);
		}
		catch (RejectedExecutionException ex) {
			// Stopping: give it back for any node to run.
			handBack(claim);
		}
	}

	/**
	 * Gives a claimed execution that did not start back to {@code READY}, its attempt not counted, and
	 * frees its slot; when that fails, its lease expires and any node runs it.
	 * @return whether it was handed back
	 */
	private boolean handBack(ClaimedExecution claim) {
		try {
			return this.store.handBackUnstarted(claim) != null;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand back execution " + claim.id() + "; it runs again once its lease expires", ex);
			return false;
		}
		finally {
			this.supervisor.release(claim.id());
			this.slots.release();
		}
	}

	@Override
	public boolean reserve() {
		WorkerThreads threads = this.threads;
		if (!this.running || threads == null || !threads.hasIdleThread()) {
			return false;
		}
		return this.slots.tryAcquire();
	}

	@Override
	public void start(ClaimedExecution claim) {
		this.supervisor.hold(List.of(claim));
		submit(claim);
	}

	@Override
	public void release() {
		this.slots.release();
	}

	@Override
	public String node() {
		return this.node;
	}

	@Override
	public Duration lease() {
		return this.supervisor.lease();
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		Thread thread = this.dispatcher;
		if (thread != null) {
			// Woken, not interrupted: a thread interrupted inside a JDBC call can close an H2 database.
			this.signal.wake();
			join(thread);
		}
		WorkerThreads threads = this.threads;
		if (threads != null) {
			threads.stop(this.shutdownTimeout, this::handBack, this.supervisor::handBackAll);
		}
		logger.info("Background task worker stopped on node " + this.node);
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return the node name this worker claims for
	 */
	public String getNode() {
		return this.node;
	}

}
