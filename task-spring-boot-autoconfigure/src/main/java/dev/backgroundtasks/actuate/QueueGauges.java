package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.LiveWorkers;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.support.PeriodicJobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The gauges of the queue. {@code background.tasks.queue} ({@code task}, {@code status} = WAITING, READY or
 * RUNNING) counts executions cluster-wide from a snapshot that one grouped query refreshes in the
 * background on an interval; every gauge reads that snapshot, so a scrape never queries the database.
 * Gauges are registered for the tasks of the registry, including tasks registered later (on the next
 * refresh). When a refresh fails the previous snapshot stays. {@code background.tasks.active} is the
 * number of attempts running on this node.
 * <p>
 * The same refresh reads which tasks the live worker nodes have registered (a read of the small node
 * table) and subtracts them from the counts: {@code background.tasks.unclaimable} ({@code task}) counts
 * the {@code READY} executions of a task that no live node can claim, registered from the first
 * refresh that finds some and reading 0 once a node knows the task again; {@code background.tasks.workers}
 * counts the live nodes that run a worker (0: nothing is claimed at all).
 */
public class QueueGauges implements SmartLifecycle {

	static final String QUEUE = "background.tasks.queue";

	static final String ACTIVE = "background.tasks.active";

	static final String UNCLAIMABLE = "background.tasks.unclaimable";

	static final String WORKERS = "background.tasks.workers";

	/**
	 * The statuses gauged: the active ones, which the claim and running indexes count cheaply.
	 */
	static final Set<TaskStatus> STATUSES = Set.of(TaskStatus.WAITING, TaskStatus.READY, TaskStatus.RUNNING);

	private static final Log logger = LogFactory.getLog(QueueGauges.class);

	private final MeterRegistry meters;

	private final TaskRegistry tasks;

	private final ExecutionStatistics statistics;

	private final Supplier<LiveWorkers> liveWorkers;

	private final IntSupplier active;

	private final Duration refreshInterval;

	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	private final Set<String> gaugedUnclaimable = ConcurrentHashMap.newKeySet();

	private volatile Map<String, Map<TaskStatus, Long>> snapshot = Map.of();

	private volatile @Nullable UnclaimableExecutions unclaimable;

	private final PeriodicJobs jobs = new PeriodicJobs("bgt-metrics-", (ex) -> logger
		.debug("Could not refresh the background tasks queue gauges; keeping the previous counts", ex));

	/**
	 * @param meters the meter registry
	 * @param tasks the tasks to gauge
	 * @param statistics reads the counts
	 * @param liveWorkers reads the live nodes that run a worker and their tasks
	 * @param active counts the attempts running on this node
	 * @param refreshInterval how often the counts are read
	 */
	public QueueGauges(MeterRegistry meters, TaskRegistry tasks, ExecutionStatistics statistics,
			Supplier<LiveWorkers> liveWorkers, IntSupplier active, Duration refreshInterval) {
		this.meters = meters;
		this.tasks = tasks;
		this.statistics = statistics;
		this.liveWorkers = liveWorkers;
		this.active = active;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Registers gauges for tasks registered since the last refresh and reads the counts.
	 */
	public void refresh() {
		registerGauges();
		Map<String, Map<TaskStatus, Long>> counts = this.statistics.activeCounts();
		this.snapshot = counts;
		UnclaimableExecutions read = this.liveWorkers.get().unclaimable(counts);
		if (this.unclaimable == null) {
			Gauge.builder(WORKERS, this, (gauges) -> gauges.unclaimable().liveWorkers())
				.description("Live nodes that run a worker, cluster-wide")
				.strongReference(true)
				.register(this.meters);
		}
		this.unclaimable = read;
		for (String task : read.tasks().keySet()) {
			if (this.gaugedUnclaimable.add(task)) {
				Gauge.builder(UNCLAIMABLE, this, (gauges) -> gauges.unclaimable().tasks().getOrDefault(task, 0L))
					.description("READY executions of a task that no live node can claim, cluster-wide")
					.tags("task", task)
					.strongReference(true)
					.register(this.meters);
			}
		}
	}

	private UnclaimableExecutions unclaimable() {
		UnclaimableExecutions read = this.unclaimable;
		return (read != null) ? read : new UnclaimableExecutions(0, Map.of());
	}

	private void registerGauges() {
		for (TaskInfo task : this.tasks.tasks()) {
			if (this.gauged.add(task.name())) {
				for (TaskStatus status : STATUSES) {
					Gauge.builder(QUEUE, this, (gauges) -> gauges.depth(task.name(), status))
						.description("Executions of a background task in a status, cluster-wide")
						.tags("task", task.name(), "status", status.name())
						.strongReference(true)
						.register(this.meters);
				}
			}
		}
	}

	private double depth(String task, TaskStatus status) {
		return this.snapshot.getOrDefault(task, Map.of()).getOrDefault(status, 0L);
	}

	@Override
	public void start() {
		Gauge.builder(ACTIVE, this.active, IntSupplier::getAsInt)
			.description("Attempts of background tasks running on this node")
			.strongReference(true)
			.register(this.meters);
		this.jobs.start();
		this.jobs.every(Duration.ZERO, this.refreshInterval, this::refresh);
	}

	@Override
	public void stop() {
		this.jobs.stop();
	}

	@Override
	public boolean isRunning() {
		return this.jobs.isRunning();
	}

}
