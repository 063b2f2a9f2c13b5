package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.util.Map;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStatistics.Backlog;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code backgroundTasks} health: {@code DOWN} when the execution store cannot be read, or when a
 * configured threshold is exceeded (the oldest due {@code READY} execution waits too long, or too many
 * {@code RUNNING} executions have an expired lease, which means no node is recovering them); {@code UP}
 * otherwise. Details: the {@code READY} and {@code RUNNING} counts, the age of the oldest due
 * {@code READY} execution, the number of expired leases and this node's name.
 */
public class BackgroundTasksHealthIndicator extends AbstractHealthIndicator {

	private final ExecutionStatistics statistics;

	private final String node;

	private final @Nullable Duration maxReadyAge;

	private final @Nullable Integer maxExpiredLeases;

	/**
	 * @param statistics reads the queue
	 * @param node this node's name
	 * @param maxReadyAge the age of the oldest due READY execution above which the health is DOWN, or
	 * {@code null} for no limit
	 * @param maxExpiredLeases the number of expired leases above which the health is DOWN, or
	 * {@code null} for no limit
	 */
	public BackgroundTasksHealthIndicator(ExecutionStatistics statistics, String node, @Nullable Duration maxReadyAge,
			@Nullable Integer maxExpiredLeases) {
		super("Background tasks health check failed");
		this.statistics = statistics;
		this.node = node;
		this.maxReadyAge = maxReadyAge;
		this.maxExpiredLeases = maxExpiredLeases;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Backlog backlog = this.statistics.backlog();
		long ready = 0;
		long running = 0;
		for (Map<TaskStatus, Long> counts : this.statistics.activeCounts().values()) {
			ready += counts.getOrDefault(TaskStatus.READY, 0L);
			running += counts.getOrDefault(TaskStatus.RUNNING, 0L);
		}
		Duration age = backlog.oldestReadyAge();
		boolean tooOld = this.maxReadyAge != null && age != null && age.compareTo(this.maxReadyAge) > 0;
		boolean tooManyExpired = this.maxExpiredLeases != null && backlog.expiredLeases() > this.maxExpiredLeases;
		builder.status((tooOld || tooManyExpired) ? Status.DOWN
				: Status.UP);
		builder.withDetail("node", this.node)
			.withDetail("ready", ready)
			.withDetail("running", running)
			.withDetail("oldestReadyAge", (age != null) ? age.toString() : "none")
			.withDetail("expiredLeases", backlog.expiredLeases());
		if (tooOld) {
			builder.withDetail("reason", "The oldest due READY execution has waited " + age
					+ ", more than background-tasks.health.max-ready-age=" + this.maxReadyAge);
		}
		else if (tooManyExpired) {
			builder.withDetail("reason", backlog.expiredLeases() + " RUNNING executions have an expired lease, more"
					+ " than background-tasks.health.max-expired-leases=" + this.maxExpiredLeases);
		}
	}

}
