package dev.backgroundtasks.web.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Formats values for the dashboard's templates: times as UTC text (the page's script shows them in the
 * viewer's zone and keeps UTC on hover), durations for people, counts with a cap, JSON indented.
 */
public class DashboardFormat {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final JsonMapper mapper;

	/**
	 * @param mapper the application's JSON mapper; params and results are shown indented
	 */
	public DashboardFormat(JsonMapper mapper) {
		this.mapper = mapper.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
	}

	/**
	 * @param instant a time
	 * @return the time as ISO-8601, for {@code <time datetime>}
	 */
	public String iso(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS).toString();
	}

	/**
	 * @param instant a time
	 * @return the time in UTC, to the second
	 */
	public String utc(Instant instant) {
		return UTC.format(instant);
	}

	/**
	 * @param from the start
	 * @param to the end, or {@code null} for an interval still going on
	 * @return how long it took, or {@code null} when there is no start
	 */
	public @Nullable String between(@Nullable Instant from, @Nullable Instant to) {
		if (from == null || to == null) {
			return null;
		}
		return duration(Duration.between(from, to));
	}

	/**
	 * @param duration a duration
	 * @return the duration for people: {@code 850 ms}, {@code 2.4 s}, {@code 3 min 5 s}, {@code 2 h 4 min}
	 */
	public String duration(@Nullable Duration duration) {
		if (duration == null) {
			return "–";
		}
		long millis = Math.max(0, duration.toMillis());
		if (millis < 1_000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = millis / 1000;
		if (seconds < 3_600) {
			return (seconds / 60) + " min " + (seconds % 60) + " s";
		}
		if (seconds < 86_400) {
			return (seconds / 3_600) + " h " + ((seconds % 3_600) / 60) + " min";
		}
		return (seconds / 86_400) + " d " + ((seconds % 86_400) / 3_600) + " h";
	}

	/**
	 * @param count a count
	 * @return the count with thousands separators
	 */
	public String count(long count) {
		return String.format(Locale.ROOT, "%,d", count);
	}

	/**
	 * @param count a count that stopped at a limit
	 * @param limit the limit
	 * @return the count, with a {@code +} when it reached the limit
	 */
	public String capped(long count, long limit) {
		return (count >= limit) ? count(limit) + "+" : count(count);
	}

	/**
	 * @param value a value read from JSON
	 * @return the value as indented JSON
	 */
	public String json(@Nullable Object value) {
		return this.mapper.writeValueAsString(value);
	}

	/**
	 * Execution ids are time-ordered: their first characters repeat for a while, their last ones tell
	 * them apart.
	 * @param id an execution id
	 * @return its last twelve characters
	 */
	public String suffix(UUID id) {
		String text = id.toString();
		return "…" + text.substring(text.length() - 12);
	}

}
