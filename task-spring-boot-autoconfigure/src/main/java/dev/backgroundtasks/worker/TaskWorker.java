package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

	private final Supplier<@Nullable Set<String>> tasks;

	/**
	 * When a rate limit lets executions the latest claim held back start, as {@link System#nanoTime()}; 0 when
	 * none held any back. Dispatcher thread only.
	 */
	private long rateAllowsAt;

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
		this(store, runner, signal, supervisor, null, concurrency, prefetch, minPollInterval, pollInterval,
				shutdownTimeout);
	}

	/**
	 * @param store the store to claim from
	 * @param runner runs each claimed execution
	 * @param signal wakes the dispatcher on local submissions
	 * @param supervisor watches the running attempts; its node and lease are used for every claim
	 * @param tasks the names of the tasks this node runs, asked at each claim: it claims executions of those
	 * only; {@code null} for any
	 * @param concurrency how many executions run at once on this node
	 * @param prefetch how many more to claim ahead and queue locally at most, so threads never wait on a
	 * claim; fewer when recent executions took long, and only of tasks timed short here (see
	 * {@link ExecutionDurations})
	 * @param minPollInterval how soon to look again after a look that found work, when nothing wakes the
	 * dispatcher; the wait doubles after each look that finds none, up to {@code pollInterval} (see
	 * {@link IdlePolls})
	 * @param pollInterval how often to look for work at most when nothing wakes the dispatcher
	 * @param shutdownTimeout how long stopping waits for running executions
	 */
	public TaskWorker(ExecutionStore store, ExecutionRunner runner, WorkSignal signal, AttemptSupervisor supervisor,
			@Nullable Supplier<Set<String>> tasks, int concurrency, int prefetch, Duration minPollInterval,
			Duration pollInterval, Duration shutdownTimeout) {
		this.tasks = (tasks != null) ? tasks : () -> null;
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
				long sentAt = System.nanoTime();
				List<ClaimedExecution> claimed = claim(wanted);
				this.slots.release(Math.max(0, wanted - claimed.size()));
				this.supervisor.hold(claimed, sentAt);
				claimed.forEach(this::submit);
				if (claimed.size() < wanted) {
					// Everything due was claimed: wait for a wake-up or the next look, sooner while work arrives,
					// and no longer than until a full rate window lets held-back work start (no polling for it).
					this.signal.await(untilNextLook(this.idlePolls.afterClaim(claimed.size())));
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
			catch (Error ex) {
				// An Error too (out of memory, a linkage error of a newly loaded class): log, pause, go on.
				logger.error("Unexpected error in the background task dispatcher on node " + this.node
						+ "; dispatching again in " + this.pollInterval, ex);
				pause();
			}
		}
	}

	private Duration untilNextLook(Duration idle) {
		long rateAllowsAt = this.rateAllowsAt;
		if (rateAllowsAt == 0) {
			return idle;
		}
		Duration rate = Duration.ofNanos(Math.max(0, rateAllowsAt - System.nanoTime()));
		return (rate.compareTo(idle) < 0) ? rate : idle;
	}

	/**
	 * Claims from the store, and keeps the earliest time a rate limit lets held-back executions start among
	 * this round's claims (a later claim of other tasks knows nothing of an earlier one's).
	 */
	private List<ClaimedExecution> claimFromStore(int wanted, @Nullable Set<String> tasks) {
		List<ClaimedExecution> claimed = this.store.claim(this.node, wanted, this.supervisor.lease(), tasks);
		Duration rate = this.store.untilRateAllows();
		if (rate != null) {
			long at = Math.max(1, System.nanoTime() + rate.toNanos());
			this.rateAllowsAt = (this.rateAllowsAt == 0) ? at : Math.min(this.rateAllowsAt, at);
		}
		return claimed;
	}

	private void pause() {
		try {
			Thread.sleep(this.pollInterval.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
			this.durations.record(claim.task(), System.nanoTime() - start);
		}
		catch (RuntimeException | Error ex) {
			// Its lease is no longer extended: it expires and any node runs the execution again.
			this.supervisor.release(claim.id());
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
			List<ClaimedExecution> claimed = claimKnown(wanted);
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
		catch (Error ex) {
			// Out of memory, a class that cannot load: the slots taken for the claim are given back by the
			// caller, and the dispatcher goes on.
			logger.error("Unexpected error while claiming executions on node " + this.node + "; retrying in "
					+ this.pollInterval, ex);
			Thread.sleep(this.pollInterval.toMillis());
			return List.of();
		}
	}

	/**
	 * Claims executions of the tasks this node knows only: for its idle threads of any of them, and ahead
	 * (to queue locally) of the tasks timed short here only.
	 */
	private List<ClaimedExecution> claimKnown(int wanted) {
		this.rateAllowsAt = 0;
		Set<String> known = this.tasks.get();
		WorkerThreads threads = this.threads;
		int idle = (threads != null) ? threads.idleThreads() : wanted;
		if (known == null || wanted <= idle) {
			return claimFromStore(wanted, known);
		}
		Set<String> ahead = this.durations.prefetchable(this.concurrency, known);
		if (ahead.size() == known.size()) {
			return claimFromStore(wanted, known);
		}
		List<ClaimedExecution> claimed = new ArrayList<>();
		if (idle > 0) {
			claimed.addAll(claimFromStore(idle, known));
		}
		if (claimed.size() == idle && !ahead.isEmpty()) {
			claimed.addAll(claimFromStore(wanted - idle, ahead));
		}
		return claimed;
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
		this.supervisor.hold(List.of(claim), System.nanoTime());
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
			threads.stop(this.shutdownTimeout, this::handBack, this.supervisor::stopAllForHandBack);
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
	 * @return the names of this worker's engine threads that died while it runs: none, unless an error
	 * could not even be logged
	 */
	public List<String> deadThreads() {
		Thread thread = this.dispatcher;
		return (this.running && thread != null && !thread.isAlive()) ? List.of(thread.getName()) : List.of();
	}

	/**
	 * @return the node name this worker claims for
	 */
	public String getNode() {
		return this.node;
	}

}
