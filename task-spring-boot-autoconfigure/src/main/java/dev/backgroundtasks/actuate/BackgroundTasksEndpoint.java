package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.LastExecution;
import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.NodeInfo;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code backgroundtasks} Actuator endpoint: the tasks with their tags, enabled flag, schedules
 * and next run; the queue depth per task and status ({@code READY}, {@code RUNNING}, read now); the
 * {@code READY} executions that no live node can claim, per task (their task is registered on no live
 * node that runs a worker); and the nodes with their last heartbeat and running count.
 */
@Endpoint(id = "backgroundtasks")
public class BackgroundTasksEndpoint {

	private final TaskRegistry registry;

	private final @Nullable TaskInfoEnricher enricher;

	private final ExecutionStatistics statistics;

	private final JdbcNodeStore nodes;

	private final Duration liveWithin;

	/**
	 * @param registry the tasks
	 * @param enricher adds enabled flags, schedules and latest executions, when schedules are configured
	 * @param statistics counts the queue
	 * @param nodes the nodes of the cluster
	 * @param liveWithin how recent a heartbeat must be for a node to count as alive
	 */
	public BackgroundTasksEndpoint(TaskRegistry registry, @Nullable TaskInfoEnricher enricher,
			ExecutionStatistics statistics, JdbcNodeStore nodes, Duration liveWithin) {
		this.registry = registry;
		this.enricher = enricher;
		this.statistics = statistics;
		this.nodes = nodes;
		this.liveWithin = liveWithin;
	}

	@ReadOperation
	public BackgroundTasksDescriptor backgroundTasks() {
		List<TaskInfo> tasks = this.registry.tasks();
		if (this.enricher != null) {
			tasks = this.enricher.enrich(tasks);
		}
		Map<String, Map<TaskStatus, Long>> counts = this.statistics.activeCounts();
		Map<TaskStatus, Long> total = queue(Map.of());
		counts.values().forEach((byStatus) -> byStatus.forEach((status, count) -> total.merge(status, count, Long::sum)));
		List<TaskDescriptor> descriptors = tasks.stream()
			.map((task) -> new TaskDescriptor(task.name(), task.description(), task.tags(), task.enabled(),
					task.schedules(), queue(counts.getOrDefault(task.name(), Map.of())), task.lastExecution()))
			.toList();
		UnclaimableExecutions unclaimable = this.nodes.liveWorkers(this.liveWithin).unclaimable(counts);
		return new BackgroundTasksDescriptor(descriptors, total, unclaimable, this.nodes.nodes(this.liveWithin));
	}

	private static Map<TaskStatus, Long> queue(Map<TaskStatus, Long> counts) {
		Map<TaskStatus, Long> queue = new EnumMap<>(TaskStatus.class);
		QueueGauges.STATUSES.stream().sorted().forEach((status) -> queue.put(status, counts.getOrDefault(status, 0L)));
		return queue;
	}

	/**
	 * What the endpoint shows.
	 *
	 * @param tasks the tasks, by name
	 * @param queue the executions per active status, all tasks together
	 * @param unclaimable the {@code READY} executions that no live node can claim, per task, and how many
	 * live nodes run a worker
	 * @param nodes the nodes with a row in {@code bgt_node}, live or silent for a while
	 */
	public record BackgroundTasksDescriptor(List<TaskDescriptor> tasks, Map<TaskStatus, Long> queue,
			UnclaimableExecutions unclaimable, List<NodeInfo> nodes) implements OperationResponseBody {

	}

	/**
	 * One task.
	 *
	 * @param name the name
	 * @param description the description
	 * @param tags the tags
	 * @param enabled whether it is enabled now
	 * @param schedules its schedules with their next run (when enabled)
	 * @param queue its executions per active status
	 * @param lastExecution its most recently created execution, or {@code null}
	 */
	public record TaskDescriptor(String name, String description, List<String> tags, boolean enabled,
			List<ScheduleInfo> schedules, Map<TaskStatus, Long> queue, @Nullable LastExecution lastExecution) {

	}

}
