package dev.backgroundtasks.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.scheduling.support.CronExpression;

/**
 * Turns what users write into Spring {@link CronExpression}s with the meaning users expect. Spring's
 * 6-field form (seconds first) passes through. A 5-field expression gets crontab(5) meaning: it gains
 * a zero seconds field; its day-of-week field is rewritten as an explicit list of days, because a
 * step such as {@code *}{@code /2} counts from Sunday = 0 in crontab but from Monday in Spring; and
 * when both day fields are restricted it becomes two expressions, one per day field, since crontab
 * runs on days matching <em>either</em> field while Spring requires both. Parsing is left to Spring.
 */
final class CrontabExpressions {

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
			"@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
			"@hourly", "0 * * * *");

	private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

	private CrontabExpressions() {
	}

	/**
	 * @param expression a 5-field, 6-field or macro expression
	 * @return the Spring expressions whose union of fire times is meant; one or two
	 * @throws IllegalArgumentException when the expression is invalid
	 */
	static List<SpringCron> translate(String expression) {
		String trimmed = expression.trim();
		String macro = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
		String[] fields = ((macro != null) ? macro : trimmed).split("\\s+");
		if (fields.length == 6) {
			return List.of(new SpringCron(CronExpression.parse(String.join(" ", fields)), isFixedHour(fields[2])));
		}
		if (fields.length != 5) {
			throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), "
					+ "6 fields (Spring's, seconds first) or a macro such as @daily, but found " + fields.length);
		}
		String minute = fields[0];
		String hour = fields[1];
		String dayOfMonth = fields[2];
		String month = fields[3];
		String dayOfWeek = crontabDaysOfWeek(fields[4]);
		boolean fixedHour = isFixedHour(hour);
		if (isRestricted(fields[2]) && isRestricted(fields[4])) {
			return List.of(spring(minute, hour, dayOfMonth, month, "*", fixedHour),
					spring(minute, hour, "*", month, dayOfWeek, fixedHour));
		}
		return List.of(spring(minute, hour, dayOfMonth, month, dayOfWeek, fixedHour));
	}

	private static SpringCron spring(String minute, String hour, String dayOfMonth, String month, String dayOfWeek,
			boolean fixedHour) {
		return new SpringCron(CronExpression.parse(String.join(" ", "0", minute, hour, dayOfMonth, month, dayOfWeek)),
				fixedHour);
	}

	/** crontab(5): a day field is restricted unless it starts with '*'. */
	private static boolean isRestricted(String field) {
		return !field.startsWith("*") && !field.equals("?");
	}

	/** Whether the hour field names hours (fixed times of day) rather than every hour. */
	private static boolean isFixedHour(String hourField) {
		return !hourField.startsWith("*");
	}

	/**
	 * Rewrites a crontab day-of-week field (0-7, Sunday = 0 or 7, names, ranges, steps, lists) as an
	 * explicit list Spring reads the same way. Spring-only syntax ({@code L}, {@code #}, {@code ?}) is
	 * passed through.
	 */
	static String crontabDaysOfWeek(String field) {
		if (field.equals("*") || field.equals("?") || field.contains("L") || field.contains("#")) {
			return field;
		}
		TreeSet<Integer> days = new TreeSet<>();
		for (String element : field.split(",", -1)) {
			String range = element;
			int step = 1;
			int slash = element.indexOf('/');
			if (slash >= 0) {
				range = element.substring(0, slash);
				step = number(element.substring(slash + 1), field);
				if (step < 1) {
					throw new IllegalArgumentException("step must be at least 1 in day-of-week field '" + field + "'");
				}
			}
			int from;
			int to;
			if (range.equals("*")) {
				from = 0;
				to = 7;
			}
			else if (range.contains("-")) {
				String[] bounds = range.split("-", -1);
				if (bounds.length != 2) {
					throw new IllegalArgumentException("invalid range '" + range + "' in day-of-week field");
				}
				from = day(bounds[0], field);
				to = day(bounds[1], field);
			}
			else {
				from = day(range, field);
				to = (slash >= 0) ? 7 : from;
			}
			if (from > to) {
				throw new IllegalArgumentException("range '" + range + "' in day-of-week field runs backwards");
			}
			for (int day = from; day <= to; day += step) {
				days.add(day % 7);
			}
		}
		List<String> list = new ArrayList<>();
		days.forEach((day) -> list.add(DAY_NAMES.get(day)));
		return String.join(",", list);
	}

	private static int day(String value, String field) {
		int index = DAY_NAMES.indexOf(value.toUpperCase(Locale.ROOT));
		int day = (index >= 0) ? index : number(value, field);
		if (day < 0 || day > 7) {
			throw new IllegalArgumentException(
					"day of week '" + value + "' is out of range 0-7 (or SUN-SAT) in field '" + field + "'");
		}
		return day;
	}

	private static int number(String value, String field) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + value + "' is not a number or day name in day-of-week field '"
					+ field + "'");
		}
	}

	/**
	 * A Spring expression and whether it fires at fixed hours of the day, which decides how DST
	 * changes apply (see {@link CronSchedule}).
	 */
	record SpringCron(CronExpression expression, boolean fixedHour) {
	}

}
