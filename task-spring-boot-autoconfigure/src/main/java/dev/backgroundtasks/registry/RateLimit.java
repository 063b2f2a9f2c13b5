package dev.backgroundtasks.registry;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;

/**
 * A task's rate limit: in any interval of {@code period}, at most {@code count} attempts start (sliding
 * window; an attempt starts when it is claimed), cluster-wide, per task or per partition.
 *
 * @param count the most starts per period, at least 1
 * @param period the window's length, at least 1 ms
 * @param text how it was written, e.g. {@code 10/1s}: shown in {@code TaskInfo.rate}
 */
public record RateLimit(int count, Duration period, String text) {

	private static final Pattern FORM = Pattern.compile("(\\d{1,10})/(\\S+)");

	public RateLimit {
		if (count < 1) {
			throw new IllegalArgumentException("the count of a rate must be at least 1, not " + count);
		}
		if (period.compareTo(Duration.ofMillis(1)) < 0) {
			throw new IllegalArgumentException("the period of a rate must be at least 1ms, not " + period);
		}
	}

	/**
	 * @param text a rate such as {@code "10/1s"}, {@code "100/1m"}, {@code "5000/1h"} or {@code "3/PT30S"}
	 * @return the rate
	 * @throws IllegalArgumentException naming what is wrong with it
	 */
	public static RateLimit parse(String text) {
		String trimmed = text.trim();
		Matcher matcher = FORM.matcher(trimmed);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a rate such as 10/1s, 100/1m or 5000/1h"
					+ " (a count of at least 1, a slash, a duration)");
		}
		long count = Long.parseLong(matcher.group(1));
		if (count < 1 || count > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("'" + text + "' is not a rate: its count must be from 1 to "
					+ Integer.MAX_VALUE);
		}
		Duration period;
		try {
			period = DurationStyle.detectAndParse(matcher.group(2));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a rate: '" + matcher.group(2)
					+ "' is not a duration such as 1s, 1m or PT1H");
		}
		if (period.compareTo(Duration.ofMillis(1)) < 0) {
			throw new IllegalArgumentException("'" + text + "' is not a rate: its period must be at least 1ms");
		}
		return new RateLimit((int) count, period, trimmed);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
