package dev.backgroundtasks.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ScheduleDeclaration;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskNames;
import dev.backgroundtasks.registry.TaskOverride;
import dev.backgroundtasks.registry.TaskOverrides;
import dev.backgroundtasks.registry.TaskParameter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The schedules in effect per task: the declared ones with configuration overrides applied
 * ({@code background-tasks.tasks.<name>.cron|zone}), parsed and validated. {@link #validate()} runs
 * at start-up so an invalid cron, an unknown zone or a scheduled task with a required parameter fails
 * start-up, naming the task and its method.
 */
public class ScheduleCatalog {

	private static final Log logger = LogFactory.getLog(ScheduleCatalog.class);

	private final DefaultTaskRegistry registry;

	private final TaskOverrides overrides;

	private final Map<String, List<Schedule>> byTask = new ConcurrentHashMap<>();

	/**
	 * @param registry the task registry
	 * @param overrides what configuration says about each task
	 */
	public ScheduleCatalog(DefaultTaskRegistry registry, TaskOverrides overrides) {
		this.registry = registry;
		this.overrides = overrides;
	}

	/**
	 * Parses the schedules of every registered task and warns about overrides that match no task.
	 * @throws InvalidTaskDefinitionException on the first invalid schedule
	 */
	public void validate() {
		this.registry.definitions().forEach(this::schedules);
		this.overrides.all().forEach((canonical, override) -> {
			boolean known = this.registry.definitions()
				.stream()
				.anyMatch((definition) -> TaskNames.canonical(definition.name()).equals(canonical));
			if (!known) {
				logger.warn(override.key() + " matches no registered task");
			}
		});
	}

	/**
	 * @param task a task name
	 * @return the configuration override of that task, or {@link TaskOverride#NONE}
	 */
	public TaskOverride override(String task) {
		return this.overrides.of(task);
	}

	/**
	 * @param task a task name
	 * @return its schedules in effect; empty when unknown or unscheduled
	 */
	public List<Schedule> schedules(String task) {
		Optional<TaskDefinition> definition = this.registry.definition(task);
		return definition.isPresent() ? schedules(definition.get()) : List.of();
	}

	/**
	 * @param definition a registered task
	 * @return its schedules in effect
	 * @throws InvalidTaskDefinitionException when one is invalid
	 */
	public List<Schedule> schedules(TaskDefinition definition) {
		return this.byTask.computeIfAbsent(definition.name(), (name) -> resolve(definition));
	}

	private List<Schedule> resolve(TaskDefinition definition) {
		TaskOverride override = override(definition.name());
		List<ScheduleDeclaration> declared = definition.schedules();
		String origin = "";
		if (override.cron() != null) {
			Misfire misfire = declared.isEmpty() ? Misfire.FIRE_ONCE : declared.get(0).misfire();
			declared = List.of(new ScheduleDeclaration(override.cron(), "", "", misfire));
			origin = " (" + override.property("cron") + ")";
		}
		Map<String, Schedule> schedules = new LinkedHashMap<>();
		for (ScheduleDeclaration declaration : declared) {
			if (declaration.isDisabled()) {
				continue;
			}
			if (override.zone() != null && !declaration.cron().isBlank()) {
				declaration = new ScheduleDeclaration(declaration.cron(), override.zone(), "", declaration.misfire());
			}
			try {
				Schedule schedule = Schedules.parse(declaration);
				schedules.putIfAbsent(schedule.id(), schedule);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidTaskDefinitionException("Invalid schedule of task '" + definition.name() + "' on "
						+ definition.source() + origin + ": " + ex.getMessage());
			}
		}
		if (!schedules.isEmpty()) {
			checkParameters(definition);
		}
		return List.copyOf(new ArrayList<>(schedules.values()));
	}

	private static void checkParameters(TaskDefinition definition) {
		for (TaskParameter parameter : definition.parameters()) {
			if (parameter.required()) {
				throw new InvalidTaskDefinitionException("Task '" + definition.name() + "' on " + definition.source()
						+ " is scheduled, but its parameter '" + parameter.name() + "' is required and a schedule "
						+ "passes no params: give it @TaskParam(defaultValue = ...), or make it Optional or @Nullable");
			}
		}
	}

}
