package dev.backgroundtasks.execution;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The stores' statements on H2 and PostgreSQL under a {@link ClockOverride}: each {@code CURRENT_TIMESTAMP}
 * becomes a {@code TIMESTAMP WITH TIME ZONE} literal of the overriding instant, taken when the statement is
 * sent. Used only when a clock override exists (tests); otherwise the stores use a plain template.
 */
class ClockOverrideJdbcTemplate extends TranslatingJdbcTemplate {

	static final Pattern NOW = Pattern.compile("\\bCURRENT_TIMESTAMP\\b(?!\\s*\\()");

	static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

	private final ClockOverride clock;

	ClockOverrideJdbcTemplate(DataSource dataSource, ClockOverride clock) {
		super(dataSource);
		this.clock = clock;
	}

	/**
	 * @param sql a statement in the SQL the stores share
	 * @return the statement reading the overriding instant as now
	 */
	@Override
	String translate(String sql) {
		String literal = "(TIMESTAMP WITH TIME ZONE '" + utcText(this.clock) + "+00:00')";
		return NOW.matcher(sql).replaceAll(Matcher.quoteReplacement(literal));
	}

	/**
	 * @return the clock's instant as UTC wall-clock time, to the microsecond
	 */
	static String utcText(ClockOverride clock) {
		return UTC_TIME.format(LocalDateTime.ofInstant(clock.now(), ZoneOffset.UTC));
	}

}
