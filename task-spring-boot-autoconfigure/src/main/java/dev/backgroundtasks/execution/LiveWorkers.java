package dev.backgroundtasks.execution;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.backgroundtasks.TaskStatus;

/**
 * The live nodes that run a worker, as their rows in {@code bgt_node} tell: how many, and which tasks
 * they have registered together (a disabled task counts: it is known, and runs once enabled).
 *
 * @param nodes how many live nodes run a worker
 * @param tasks the union of the names of their tasks
 */
public record LiveWorkers(int nodes, Set<String> tasks) {

	public LiveWorkers {
		tasks = Set.copyOf(tasks);
	}

	/**
	 * Picks the {@code READY} executions that no live node can claim out of counts already read.
	 * @param activeCounts per task name, its executions per active status, as
	 * {@link ExecutionStatistics#activeCounts()} reads them
	 * @return per task that no live worker node has registered, its {@code READY} executions, due or not
	 */
	public UnclaimableExecutions unclaimable(Map<String, Map<TaskStatus, Long>> activeCounts) {
		Map<String, Long> unclaimable = new TreeMap<>();
		activeCounts.forEach((task, counts) -> {
			long ready = counts.getOrDefault(TaskStatus.READY, 0L);
			if (ready > 0 && !this.tasks.contains(task)) {
				unclaimable.put(task, ready);
			}
		});
		return new UnclaimableExecutions(this.nodes, unclaimable);
	}

}
