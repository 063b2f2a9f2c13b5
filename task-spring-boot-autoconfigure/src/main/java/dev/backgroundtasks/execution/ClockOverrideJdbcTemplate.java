package dev.backgroundtasks.execution;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * The stores' statements on H2 and PostgreSQL under a {@link ClockOverride}: each {@code CURRENT_TIMESTAMP}
 * becomes a {@code TIMESTAMP WITH TIME ZONE} literal of the overriding instant, taken when the statement is
 * sent. Used only when a clock override exists (tests); otherwise the stores use a plain template.
 */
class ClockOverrideJdbcTemplate extends JdbcTemplate {

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
	String atOverriddenTime(String sql) {
		String literal = "(TIMESTAMP WITH TIME ZONE '" + utcText(this.clock) + "+00:00')";
		return NOW.matcher(sql).replaceAll(Matcher.quoteReplacement(literal));
	}

	/**
	 * @return the clock's instant as UTC wall-clock time, to the microsecond
	 */
	static String utcText(ClockOverride clock) {
		return UTC_TIME.format(LocalDateTime.ofInstant(clock.now(), ZoneOffset.UTC));
	}

	// The methods every SQL-taking method of JdbcTemplate ends in (as in MariaDbJdbcTemplate).

	@Override
	public void execute(String sql) throws DataAccessException {
		super.execute(atOverriddenTime(sql));
	}

	@Override
	public <T> @Nullable T query(String sql, ResultSetExtractor<T> rse) throws DataAccessException {
		return super.query(atOverriddenTime(sql), rse);
	}

	@Override
	public int update(String sql) throws DataAccessException {
		return super.update(atOverriddenTime(sql));
	}

	@Override
	public int[] batchUpdate(String... sql) throws DataAccessException {
		String[] statements = new String[sql.length];
		for (int i = 0; i < sql.length; i++) {
			statements[i] = atOverriddenTime(sql[i]);
		}
		return super.batchUpdate(statements);
	}

	@Override
	public <T> @Nullable T execute(String sql, PreparedStatementCallback<T> action) throws DataAccessException {
		return super.execute(atOverriddenTime(sql), action);
	}

	@Override
	public <T> @Nullable T query(String sql, @Nullable PreparedStatementSetter pss, ResultSetExtractor<T> rse)
			throws DataAccessException {
		return super.query(atOverriddenTime(sql), pss, rse);
	}

	@Override
	public int update(String sql, @Nullable PreparedStatementSetter pss) throws DataAccessException {
		return super.update(atOverriddenTime(sql), pss);
	}

	@Override
	public int[] batchUpdate(String sql, BatchPreparedStatementSetter pss) throws DataAccessException {
		return super.batchUpdate(atOverriddenTime(sql), pss);
	}

	@Override
	public int[] batchUpdate(String sql, List<? extends Object[]> batchArgs, int[] argTypes)
			throws DataAccessException {
		return super.batchUpdate(atOverriddenTime(sql), batchArgs, argTypes);
	}

	@Override
	public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
			ParameterizedPreparedStatementSetter<T> pss) throws DataAccessException {
		return super.batchUpdate(atOverriddenTime(sql), batchArgs, batchSize, pss);
	}

}
