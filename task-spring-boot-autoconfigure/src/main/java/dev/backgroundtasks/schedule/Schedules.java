package dev.backgroundtasks.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

import dev.backgroundtasks.registry.ScheduleDeclaration;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * Parses schedule declarations. Problems are reported as {@link IllegalArgumentException}s whose
 * message says what is wrong with the declaration; callers add which task it belongs to.
 */
final class Schedules {

	private static final int MAX_ID_LENGTH = 200;

	private static final ZoneId UTC = ZoneId.of("UTC");

	private Schedules() {
	}

	/**
	 * @param declaration the declaration, not disabled
	 * @return the schedule
	 * @throws IllegalArgumentException when the declaration is invalid
	 */
	static Schedule parse(ScheduleDeclaration declaration) {
		String cron = declaration.cron().trim();
		String every = declaration.every().trim();
		String zone = declaration.zone().trim();
		if (cron.isEmpty() == every.isEmpty()) {
			throw new IllegalArgumentException(cron.isEmpty() ? "a schedule needs a cron expression or an interval"
					: "a schedule has either a cron expression or an interval, not both (cron '" + cron
							+ "', every '" + every + "')");
		}
		Schedule schedule = cron.isEmpty() ? interval(every, zone, declaration) : cron(cron, zone, declaration);
		if (schedule.id().length() > MAX_ID_LENGTH) {
			throw new IllegalArgumentException("schedule '" + schedule.expression() + "' is longer than "
					+ MAX_ID_LENGTH + " characters");
		}
		return schedule;
	}

	private static Schedule cron(String cron, String zone, ScheduleDeclaration declaration) {
		ZoneId zoneId = zone(zone);
		try {
			return new CronSchedule(cron, zoneId, declaration.misfire());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid cron expression '" + cron + "': " + ex.getMessage(), ex);
		}
	}

	private static Schedule interval(String every, String zone, ScheduleDeclaration declaration) {
		if (!zone.isEmpty()) {
			throw new IllegalArgumentException("zone '" + zone + "' has no effect on interval '" + every
					+ "': intervals count from the epoch; use a cron expression for times of day in a zone");
		}
		Duration interval;
		try {
			interval = DurationStyle.detectAndParse(every);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"invalid interval '" + every + "': expected a duration such as 30s, 5m or PT1H", ex);
		}
		return new IntervalSchedule(every, interval, declaration.misfire());
	}

	/**
	 * @param zone an IANA zone id, or empty for UTC
	 * @return the zone
	 * @throws IllegalArgumentException when the zone is unknown
	 */
	static ZoneId zone(@Nullable String zone) {
		if (zone == null || zone.isBlank()) {
			return UTC;
		}
		try {
			return ZoneId.of(zone.trim());
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("unknown time zone '" + zone + "' (use an IANA id such as "
					+ "'Europe/London' or 'UTC')", ex);
		}
	}

}
