package dev.backgroundtasks.schedule;

import java.time.Instant;
import java.util.List;

import dev.backgroundtasks.LastExecution;
import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.registry.TaskEnablement;
import org.jspecify.annotations.Nullable;

/**
 * Adds runtime state to what the registry knows of a task: whether it is enabled, its schedules in
 * effect with their next fire time (by the database clock) and its latest execution. The registry
 * itself stays free of the database; the REST API shows the enriched view.
 */
public class TaskInfoEnricher {

	private final ScheduleCatalog catalog;

	private final TaskEnablement enablement;

	private final ScheduleStore store;

	private final ExecutionQueries queries;

	public TaskInfoEnricher(ScheduleCatalog catalog, TaskEnablement enablement, ScheduleStore store,
			ExecutionQueries queries) {
		this.catalog = catalog;
		this.enablement = enablement;
		this.store = store;
		this.queries = queries;
	}

	/**
	 * @param task what the registry knows
	 * @return the same task with its runtime state
	 */
	public TaskInfo enrich(TaskInfo task) {
		return enrich(List.of(task)).get(0);
	}

	/**
	 * @param tasks what the registry knows
	 * @return the same tasks, in the same order, with their runtime state
	 */
	public List<TaskInfo> enrich(List<TaskInfo> tasks) {
		Instant now = tasks.isEmpty() ? Instant.EPOCH : this.store.now();
		return tasks.stream().map((task) -> enrich(task, now)).toList();
	}

	private TaskInfo enrich(TaskInfo task, Instant now) {
		boolean enabled = this.enablement.isEnabled(task.name());
		List<ScheduleInfo> schedules = this.catalog.schedules(task.name())
			.stream()
			.map((schedule) -> new ScheduleInfo(schedule.expression(),
					(schedule.zone() != null) ? schedule.zone().getId() : null, enabled ? schedule.next(now) : null))
			.toList();
		return task.withState(enabled, schedules, lastExecution(task.name()));
	}

	private @Nullable LastExecution lastExecution(String task) {
		return this.queries.latest(task)
			.map((execution) -> new LastExecution(execution.id(), execution.status(), execution.finishedAt()))
			.orElse(null);
	}

}
