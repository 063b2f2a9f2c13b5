package dev.backgroundtasks.registry;

import dev.backgroundtasks.Misfire;

/**
 * A schedule as an annotation declares it, placeholders resolved, not yet parsed: the scheduler
 * parses and validates it at start-up, after configuration overrides apply.
 *
 * @param cron the cron expression, or empty
 * @param zone the zone id, or empty for UTC
 * @param every the interval, or empty
 * @param misfire what to do about missed fire times
 */
public record ScheduleDeclaration(String cron, String zone, String every, Misfire misfire) {

	/**
	 * @return whether this declaration is switched off with {@code "-"}
	 */
	public boolean isDisabled() {
		return "-".equals(this.cron.trim()) || "-".equals(this.every.trim());
	}

}
