package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import dev.backgroundtasks.execution.ClaimedExecution;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads of a {@link TaskWorker}: a fixed pool whose queue holds the claimed executions that wait
 * for a thread. Stopping gives back what never started, and what still runs after the shutdown timeout.
 */
final class WorkerThreads {

	private static final Log logger = LogFactory.getLog(WorkerThreads.class);

	/**
	 * How long stopping waits for interrupted attempts to return and hand themselves back.
	 */
	static final Duration HAND_BACK_GRACE = Duration.ofSeconds(5);

	private final ThreadPoolExecutor pool;

	private final int concurrency;

	private final Consumer<ClaimedExecution> runner;

	private final String node;

	/**
	 * @param concurrency how many threads run executions
	 * @param runner runs one claimed execution in the calling thread
	 * @param node the node, named in logs
	 */
	WorkerThreads(int concurrency, Consumer<ClaimedExecution> runner, String node) {
		this.concurrency = concurrency;
		this.runner = runner;
		this.node = node;
		this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), new CustomizableThreadFactory("bgt-worker-"));
	}

	/**
	 * Runs a claimed execution on the next free thread.
	 * @param claim the claim
	 * @throws RejectedExecutionException when the threads are stopping
	 */
	void execute(ClaimedExecution claim) {
		this.pool.execute(new ClaimedRun(claim));
	}

	/**
	 * @return whether claimed executions wait in the queue for a thread
	 */
	boolean hasQueuedWork() {
		return !this.pool.getQueue().isEmpty();
	}

	/**
	 * @return how many threads are idle with nothing waiting for them (an estimate)
	 */
	int idleThreads() {
		return Math.max(0, this.concurrency - this.pool.getActiveCount() - this.pool.getQueue().size());
	}

	/**
	 * @return whether a thread is idle and nothing waits for it
	 */
	boolean hasIdleThread() {
		return this.pool.getActiveCount() + this.pool.getQueue().size() < this.concurrency;
	}

	/**
	 * Stops the threads: gives the claimed executions that wait in the queue back at once (their
	 * attempts not counted), so that other nodes take them instead of after their leases expire; waits
	 * up to {@code timeout} for those running, then asks the ones still running to stop: each is
	 * interrupted and handed back by its own thread once its task returns, never while it still runs.
	 * Those that ignore the interrupt for {@link #HAND_BACK_GRACE} more stay {@code RUNNING} with their
	 * leases, which expire once the node is gone: any node then runs them again.
	 * @param timeout how long to wait for running executions
	 * @param handBack gives back one claimed execution that did not start; tells whether it was
	 * @param stopRunning asks every attempt still running to stop for a hand-back; tells how many it asked
	 */
	void stop(Duration timeout, Predicate<ClaimedExecution> handBack, IntSupplier stopRunning) {
		List<Runnable> queued = new ArrayList<>();
		this.pool.getQueue().drainTo(queued);
		int handedBack = 0;
		for (Runnable run : queued) {
			if (run instanceof ClaimedRun claimed && handBack.test(claimed.claim)) {
				handedBack++;
			}
		}
		if (handedBack > 0) {
			logger.info(handedBack + " claimed executions that had not started were handed back to READY by node "
					+ this.node);
		}
		this.pool.shutdown();
		if (awaitTermination(timeout)) {
			return;
		}
		int running = stopRunning.getAsInt();
		logger.warn("Executions still running on node " + this.node + " after " + timeout + ": " + running
				+ " interrupted; each is handed back to READY (its attempt not counted) once it stops");
		if (!awaitTermination(HAND_BACK_GRACE)) {
			logger.warn("Executions on node " + this.node + " ignore the interrupt " + HAND_BACK_GRACE
					+ " later: they stay RUNNING until their leases expire after the node stops, then run again");
			// Also ends outcome writes still being tried, so that the threads end with the node.
			this.pool.shutdownNow();
		}
	}

	private boolean awaitTermination(Duration timeout) {
		try {
			return this.pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Runs one claimed execution on the pool; what {@link #stop} finds still queued is handed back.
	 */
	private final class ClaimedRun implements Runnable {

		private final ClaimedExecution claim;

		ClaimedRun(ClaimedExecution claim) {
			this.claim = claim;
		}

		@Override
		public void run() {
			WorkerThreads.this.runner.accept(this.claim);
		}

	}

}
