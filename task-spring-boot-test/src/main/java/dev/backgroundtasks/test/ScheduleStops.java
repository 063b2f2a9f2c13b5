package dev.backgroundtasks.test;

import java.time.Instant;

import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.Schedule;
import dev.backgroundtasks.schedule.ScheduleCatalog;
import org.jspecify.annotations.Nullable;

/**
 * The fire times an advance of the test clock stops at: those of every schedule of an enabled task.
 */
final class ScheduleStops {

	private final DefaultTaskRegistry registry;

	private final ScheduleCatalog catalog;

	private final TaskEnablement enablement;

	ScheduleStops(DefaultTaskRegistry registry, ScheduleCatalog catalog, TaskEnablement enablement) {
		this.registry = registry;
		this.catalog = catalog;
		this.enablement = enablement;
	}

	/**
	 * @param after an instant
	 * @return the earliest fire time after it of any schedule of an enabled task, or {@code null}
	 */
	@Nullable Fire next(Instant after) {
		Fire nearest = null;
		for (TaskDefinition definition : this.registry.definitions()) {
			if (!this.enablement.isEnabled(definition.name())) {
				continue;
			}
			for (Schedule schedule : this.catalog.schedules(definition)) {
				Instant next = schedule.next(after);
				if (next != null && (nearest == null || next.isBefore(nearest.time()))) {
					nearest = new Fire(definition.name(), schedule, next);
				}
			}
		}
		return nearest;
	}

	/**
	 * One fire time.
	 * @param task the task
	 * @param schedule its schedule
	 * @param time the fire time
	 */
	record Fire(String task, Schedule schedule, Instant time) {
	}

}
