package dev.backgroundtasks.registry;

import java.util.Map;

/**
 * What configuration says about each task ({@code background-tasks.tasks.<name>.*}), by canonical task
 * name ({@link TaskNames#canonical}): a property file may say {@code daily-report} where an environment
 * variable says {@code DAILYREPORT}.
 */
public final class TaskOverrides {

	/** No overrides. */
	public static final TaskOverrides NONE = new TaskOverrides(Map.of());

	private final Map<String, TaskOverride> byCanonicalName;

	/**
	 * @param byCanonicalName the overrides by canonical task name
	 */
	public TaskOverrides(Map<String, TaskOverride> byCanonicalName) {
		this.byCanonicalName = Map.copyOf(byCanonicalName);
	}

	/**
	 * @param task a task name, as registered or in any spelling that has the same canonical name
	 * @return the override of that task, or {@link TaskOverride#NONE}
	 */
	public TaskOverride of(String task) {
		return this.byCanonicalName.getOrDefault(TaskNames.canonical(task), TaskOverride.NONE);
	}

	/**
	 * @return every override by canonical task name
	 */
	public Map<String, TaskOverride> all() {
		return this.byCanonicalName;
	}

}
