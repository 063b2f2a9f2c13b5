package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStatistics.Backlog;
import dev.backgroundtasks.execution.LiveWorkers;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.support.EngineThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code backgroundTasks} health: {@code DOWN} when the execution store cannot be read, when an
 * engine thread of this node has died, or when a configured threshold is exceeded (the oldest due
 * {@code READY} execution waits too long, or too many {@code RUNNING} executions have an expired lease,
 * which means no node is recovering them); {@code UP} otherwise. Details: the {@code READY} and
 * {@code RUNNING} counts, the age of the oldest due {@code READY} execution, the number of expired
 * leases, the {@code READY} executions that no live node can claim ({@code unclaimable}), this node's
 * name, the dead engine threads and the stuck attempts (asked to stop, still running) when there are any.
 * <p>
 * A probe reads at most {@value #COUNT_CAP} (and one) rows of each active status, whatever the backlog:
 * past that, {@code ready} (or {@code running}) is {@value #COUNT_CAP} with {@code readyCapped} (or
 * {@code runningCapped}) {@code true}, and the oldest due execution and the unclaimable ones are looked
 * for among the first {@value #COUNT_CAP} in claim order.
 * <p>
 * Unclaimable executions leave the health {@code UP}: during a rolling deploy that adds a task they are
 * expected until the new version's first node runs, and a backlog that lasts is what
 * {@code max-ready-age} is for.
 */
public class BackgroundTasksHealthIndicator extends AbstractHealthIndicator {

	/** The most rows of each active status that a probe reads. */
	static final long COUNT_CAP = 10_000;

	private final ExecutionStatistics statistics;

	private final Supplier<LiveWorkers> liveWorkers;

	private final @Nullable EngineThreads engineThreads;

	private final Supplier<List<String>> stuckAttempts;

	private final String node;

	private final @Nullable Duration maxReadyAge;

	private final @Nullable Integer maxExpiredLeases;

	/**
	 * @param statistics reads the queue
	 * @param liveWorkers reads the live nodes that run a worker and their tasks
	 * @param engineThreads this node's engine threads, or {@code null} when none are watched
	 * @param node this node's name
	 * @param maxReadyAge the age of the oldest due READY execution above which the health is DOWN, or
	 * {@code null} for no limit
	 * @param maxExpiredLeases the number of expired leases above which the health is DOWN, or
	 * {@code null} for no limit
	 */
	public BackgroundTasksHealthIndicator(ExecutionStatistics statistics, Supplier<LiveWorkers> liveWorkers,
			@Nullable EngineThreads engineThreads, String node, @Nullable Duration maxReadyAge,
			@Nullable Integer maxExpiredLeases) {
		this(statistics, liveWorkers, engineThreads, List::of, node, maxReadyAge, maxExpiredLeases);
	}

	/**
	 * @param statistics reads the queue
	 * @param liveWorkers reads the live nodes that run a worker and their tasks
	 * @param engineThreads this node's engine threads, or {@code null} when none are watched
	 * @param stuckAttempts describes this node's attempts that were asked to stop and ignore it
	 * @param node this node's name
	 * @param maxReadyAge the age of the oldest due READY execution above which the health is DOWN, or
	 * {@code null} for no limit
	 * @param maxExpiredLeases the number of expired leases above which the health is DOWN, or
	 * {@code null} for no limit
	 */
	public BackgroundTasksHealthIndicator(ExecutionStatistics statistics, Supplier<LiveWorkers> liveWorkers,
			@Nullable EngineThreads engineThreads, Supplier<List<String>> stuckAttempts, String node,
			@Nullable Duration maxReadyAge, @Nullable Integer maxExpiredLeases) {
		super("Background tasks health check failed");
		this.stuckAttempts = stuckAttempts;
		this.statistics = statistics;
		this.liveWorkers = liveWorkers;
		this.engineThreads = engineThreads;
		this.node = node;
		this.maxReadyAge = maxReadyAge;
		this.maxExpiredLeases = maxExpiredLeases;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<String> dead = (this.engineThreads != null) ? this.engineThreads.dead() : List.of();
		ExecutionStatistics.Probe probe = this.statistics.probe(COUNT_CAP);
		Backlog backlog = probe.backlog();
		Map<String, Map<TaskStatus, Long>> activeCounts = probe.activeCounts();
		UnclaimableExecutions unclaimable = this.liveWorkers.get().unclaimable(activeCounts);
		long ready = 0;
		long running = 0;
		for (Map<TaskStatus, Long> counts : activeCounts.values()) {
			ready += counts.getOrDefault(TaskStatus.READY, 0L);
			running += counts.getOrDefault(TaskStatus.RUNNING, 0L);
		}
		Duration age = backlog.oldestReadyAge();
		boolean tooOld = this.maxReadyAge != null && age != null && age.compareTo(this.maxReadyAge) > 0;
		boolean tooManyExpired = this.maxExpiredLeases != null && backlog.expiredLeases() > this.maxExpiredLeases;
		builder.status((!dead.isEmpty() || tooOld || tooManyExpired) ? Status.DOWN : Status.UP);
		builder.withDetail("node", this.node)
			.withDetail("ready", Math.min(ready, COUNT_CAP))
			.withDetail("running", Math.min(running, COUNT_CAP))
			.withDetail("oldestReadyAge", (age != null) ? age.toString() : "none")
			.withDetail("expiredLeases", backlog.expiredLeases())
			.withDetail("unclaimable", unclaimable);
		if (ready > COUNT_CAP) {
			builder.withDetail("readyCapped", true);
		}
		if (running > COUNT_CAP) {
			builder.withDetail("runningCapped", true);
		}
		List<String> stuck = this.stuckAttempts.get();
		if (!stuck.isEmpty()) {
			// Reported, not DOWN: the node goes on, and gives up their leases after the stuck grace.
			builder.withDetail("stuckAttempts", stuck);
		}
		if (!dead.isEmpty()) {
			builder.withDetail("deadEngineThreads", dead);
			builder.withDetail("reason", "Engine threads of node " + this.node + " have died: " + dead
					+ "; the node may no longer run executions (see its log)");
		}
		else if (tooOld) {
			builder.withDetail("reason", "The oldest due READY execution has waited " + age
					+ ", more than background-tasks.health.max-ready-age=" + this.maxReadyAge);
		}
		else if (tooManyExpired) {
			builder.withDetail("reason", backlog.expiredLeases() + " RUNNING executions have an expired lease, more"
					+ " than background-tasks.health.max-expired-leases=" + this.maxExpiredLeases);
		}
	}

}
