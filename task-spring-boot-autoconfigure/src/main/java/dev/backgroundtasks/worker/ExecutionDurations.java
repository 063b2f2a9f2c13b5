package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this node's executions take lately (moving averages, of all and of each task), and from it how
 * many executions are worth claiming ahead, and of which tasks: as many as the node's threads are expected
 * to start within {@link #PREFETCH_HORIZON}, of tasks known to be that short. Many short tasks are claimed
 * in large batches; long tasks, and tasks this node has not timed yet, are not claimed ahead at all, so
 * they never wait in one node's queue, held {@code RUNNING}, while another node has free threads. A node
 * that just started claims no more than its threads.
 */
final class ExecutionDurations {

	/**
	 * How long a claimed execution may expect to wait in the local queue before a thread takes it.
	 */
	static final Duration PREFETCH_HORIZON = Duration.ofMillis(100);

	private static final int SMOOTHING = 16;

	/** The moving average, or -1 before the first sample; updated without a lock by every worker thread. */
	private final AtomicLong averageNanos = new AtomicLong(-1);

	private final Map<String, AtomicLong> taskAverageNanos = new ConcurrentHashMap<>();

	/**
	 * @param task the task of the execution
	 * @param nanos how long one execution took, outcome recorded
	 */
	void record(String task, long nanos) {
		long sample = Math.max(1, nanos);
		update(this.averageNanos, sample);
		update(this.taskAverageNanos.computeIfAbsent(task, (name) -> new AtomicLong(-1)), sample);
	}

	private static void update(AtomicLong average, long sample) {
		average.updateAndGet((value) -> (value < 0) ? sample : value + (sample - value) / SMOOTHING);
	}

	/**
	 * @param concurrency the node's threads
	 * @param most the configured prefetch
	 * @return how many executions to claim ahead now: none until an execution has finished, then what the
	 * threads are expected to start within the horizon, at most {@code most}
	 */
	int prefetch(int concurrency, int most) {
		long average = this.averageNanos.get();
		if (most <= 0 || average < 0) {
			return 0;
		}
		long fits = concurrency * PREFETCH_HORIZON.toNanos() / average;
		return (int) Math.min(most, fits);
	}

	/**
	 * @param concurrency the node's threads
	 * @param tasks the tasks this node runs
	 * @return those worth claiming ahead: timed on this node, short enough that at least one execution is
	 * expected to start within the horizon
	 */
	Set<String> prefetchable(int concurrency, Collection<String> tasks) {
		long most = concurrency * PREFETCH_HORIZON.toNanos();
		Set<String> prefetchable = new HashSet<>();
		for (String task : tasks) {
			AtomicLong average = this.taskAverageNanos.get(task);
			if (average != null && average.get() > 0 && average.get() <= most) {
				prefetchable.add(task);
			}
		}
		return prefetchable;
	}

}
