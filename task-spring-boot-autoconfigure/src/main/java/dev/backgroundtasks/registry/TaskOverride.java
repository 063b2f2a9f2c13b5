package dev.backgroundtasks.registry;

import org.jspecify.annotations.Nullable;

/**
 * What configuration says about one task ({@code background-tasks.tasks.<name>.*}).
 *
 * @param key where it came from, named in messages: a property prefix such as
 * {@code background-tasks.tasks.daily-report} or an environment variable prefix such as
 * {@code BACKGROUND_TASKS_TASKS_DAILYREPORT}
 * @param enabled {@code false} when the task is switched off by configuration
 * @param cron a cron expression replacing every declared schedule ({@code "-"}: none), or {@code null}
 * @param zone a zone replacing the zone of every cron schedule, or {@code null}
 */
public record TaskOverride(String key, boolean enabled, @Nullable String cron, @Nullable String zone) {

	/** No override. */
	public static final TaskOverride NONE = new TaskOverride("background-tasks.tasks.<name>", true, null, null);

	/**
	 * @param name a setting, e.g. {@code enabled}
	 * @return how the user wrote that setting, e.g. {@code background-tasks.tasks.daily-report.enabled}
	 */
	public String property(String name) {
		return this.key.startsWith("BACKGROUND_TASKS_") ? this.key + "_" + name.toUpperCase(java.util.Locale.ROOT)
				: this.key + "." + name;
	}

}
