package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this node's executions take lately (a moving average), and from it how many executions are
 * worth claiming ahead: as many as the node's threads are expected to start within
 * {@link #PREFETCH_HORIZON}. Many short tasks are claimed in large batches; long tasks are not claimed
 * ahead at all, so they never wait in one node's queue, held {@code RUNNING}, while another node has
 * free threads.
 */
final class ExecutionDurations {

	/**
	 * How long a claimed execution may expect to wait in the local queue before a thread takes it.
	 */
	static final Duration PREFETCH_HORIZON = Duration.ofMillis(100);

	private static final int SMOOTHING = 16;

	/** The moving average, or -1 before the first sample; updated without a lock by every worker thread. */
	private final AtomicLong averageNanos = new AtomicLong(-1);

	/**
	 * @param nanos how long one execution took, outcome recorded
	 */
	void record(long nanos) {
		long sample = Math.max(1, nanos);
		this.averageNanos.updateAndGet((average) -> (average < 0) ? sample : average + (sample - average) / SMOOTHING);
	}

	/**
	 * @param concurrency the node's threads
	 * @param most the configured prefetch
	 * @return how many executions to claim ahead now: {@code most} until an execution has finished, then
	 * what the threads are expected to start within the horizon, at most {@code most}
	 */
	int prefetch(int concurrency, int most) {
		long average = this.averageNanos.get();
		if (most <= 0 || average < 0) {
			return Math.max(0, most);
		}
		long fits = concurrency * PREFETCH_HORIZON.toNanos() / average;
		return (int) Math.min(most, fits);
	}

}
