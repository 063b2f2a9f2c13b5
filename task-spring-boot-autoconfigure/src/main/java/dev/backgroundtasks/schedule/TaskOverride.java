package dev.backgroundtasks.schedule;

import org.jspecify.annotations.Nullable;

/**
 * What configuration says about one task ({@code background-tasks.tasks.<name>.*}).
 *
 * @param key the configuration key it came from, named in messages
 * @param enabled {@code false} when the task is switched off by configuration
 * @param cron a cron expression replacing every declared schedule ({@code "-"}: none), or {@code null}
 * @param zone a zone replacing the zone of every cron schedule, or {@code null}
 */
public record TaskOverride(String key, boolean enabled, @Nullable String cron, @Nullable String zone) {

	/** No override. */
	public static final TaskOverride NONE = new TaskOverride("", true, null, null);

}
