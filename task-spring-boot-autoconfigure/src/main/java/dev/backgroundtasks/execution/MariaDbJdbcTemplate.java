package dev.backgroundtasks.execution;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;

/**
 * The stores' statements on MariaDB. They are written once, in SQL that H2 and PostgreSQL share; this
 * template turns the few parts MariaDB spells differently into its own, and keeps times in UTC:
 * <ul>
 * <li>{@code CURRENT_TIMESTAMP} becomes {@code UTC_TIMESTAMP(6)}: MariaDB's {@code CURRENT_TIMESTAMP} is in
 * the session's time zone and in whole seconds, and its {@code DATETIME} columns keep no offset;</li>
 * <li>lease arithmetic, {@code CAST(? AS BIGINT) * INTERVAL '0.001' SECOND}, becomes
 * {@code INTERVAL (? * 1000) MICROSECOND} (and so for other units), {@code EXTRACT(EPOCH FROM (a - b))}
 * becomes {@code TIMESTAMPDIFF}, and other casts to {@code BIGINT} become casts to {@code SIGNED};</li>
 * <li>times bound as {@link OffsetDateTime}, {@link Instant} or {@link Timestamp} are sent as their UTC
 * wall-clock time, and times read as {@link OffsetDateTime} or {@link Instant} are read as UTC, whatever the
 * JVM's or the session's time zone: MariaDB's driver would convert both in the JVM's zone.</li>
 * </ul>
 * Everything else (the claim, batch completions, upserts) differs by more than spelling and lives in
 * {@link MariaDbDialect}. Each statement's text is translated once and cached. Under a {@link ClockOverride}
 * (tests only), {@code UTC_TIMESTAMP(6)} then becomes a literal of the overriding instant.
 */
class MariaDbJdbcTemplate extends TranslatingJdbcTemplate {

	private static final Pattern NOW = Pattern.compile("\\bCURRENT_TIMESTAMP\\b(?!\\s*\\()");

	private static final Pattern MILLIS = Pattern.compile("CAST\\(\\? AS BIGINT\\) \\* INTERVAL '0\\.001' SECOND");

	private static final Pattern UNITS = Pattern.compile("CAST\\(\\? AS (?:BIGINT|INTEGER)\\) \\* INTERVAL '(\\d+)' (\\w+)");

	private static final Pattern SECONDS_BETWEEN = Pattern.compile("EXTRACT\\(EPOCH FROM \\(([\\w.]+) - ([\\w.]+)\\)\\)");

	private static final Pattern BIGINT = Pattern.compile("AS BIGINT\\)");

	private static final Pattern ZONED = Pattern.compile("TIMESTAMP WITH TIME ZONE");

	private final Map<String, String> translated = new ConcurrentHashMap<>();

	private final @Nullable ClockOverride clock;

	MariaDbJdbcTemplate(DataSource dataSource) {
		this(dataSource, null);
	}

	/**
	 * @param dataSource the data source
	 * @param clock the time statements take as now instead of the database's (tests only), or {@code null}
	 */
	MariaDbJdbcTemplate(DataSource dataSource, @Nullable ClockOverride clock) {
		super(dataSource);
		this.clock = clock;
	}

	/**
	 * @param sql a statement in the SQL the stores share
	 * @return the same statement in MariaDB's SQL
	 */
	@Override
	String translate(String sql) {
		String translated = this.translated.computeIfAbsent(sql, MariaDbJdbcTemplate::translateOnce);
		// Under a clock override, now is a DATETIME literal of the overriding instant in UTC.
		return (this.clock != null)
				? translated.replace("UTC_TIMESTAMP(6)", "TIMESTAMP'" + ClockOverrideJdbcTemplate.utcText(this.clock) + "'")
				: translated;
	}

	static String translateOnce(String sql) {
		String result = MILLIS.matcher(sql).replaceAll("INTERVAL (? * 1000) MICROSECOND");
		result = UNITS.matcher(result).replaceAll("INTERVAL (? * $1) $2");
		result = SECONDS_BETWEEN.matcher(result).replaceAll("(TIMESTAMPDIFF(MICROSECOND, $2, $1) / 1000000)");
		result = NOW.matcher(result).replaceAll("UTC_TIMESTAMP(6)");
		result = BIGINT.matcher(result).replaceAll("AS SIGNED)");
		return ZONED.matcher(result).replaceAll("DATETIME(6)");
	}

	// Times are bound and read as UTC wall-clock times (DATETIME has no zone).

	@Override
	@Nullable PreparedStatementSetter binding(@Nullable PreparedStatementSetter pss) {
		return (pss != null) ? (ps) -> pss.setValues(utcTimes(ps)) : null;
	}

	@Override
	BatchPreparedStatementSetter binding(BatchPreparedStatementSetter pss) {
		return new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement ps, int i) throws SQLException {
				pss.setValues(utcTimes(ps), i);
			}

			@Override
			public int getBatchSize() {
				return pss.getBatchSize();
			}

		};
	}

	@Override
	<T> ParameterizedPreparedStatementSetter<T> binding(ParameterizedPreparedStatementSetter<T> pss) {
		return (ps, argument) -> pss.setValues(utcTimes(ps), argument);
	}

	@Override
	<T> ResultSetExtractor<T> reading(ResultSetExtractor<T> extractor) {
		return (rs) -> extractor.extractData(utcTimes(rs));
	}

	@Override
	protected PreparedStatementSetter newArgPreparedStatementSetter(@Nullable Object[] args) {
		return super.newArgPreparedStatementSetter((args != null) ? utcArguments(args) : null);
	}

	@Override
	protected PreparedStatementSetter newArgTypePreparedStatementSetter(Object[] args, int[] argTypes) {
		return super.newArgTypePreparedStatementSetter(utcArguments(args), argTypes);
	}

	@Override
	protected <T> RowMapper<T> getSingleColumnRowMapper(Class<T> requiredType) {
		RowMapper<T> mapper = super.getSingleColumnRowMapper(requiredType);
		return (rs, row) -> mapper.mapRow(utcTimes(rs), row);
	}

	private static Object[] utcArguments(Object[] args) {
		Object[] converted = args.clone();
		for (int i = 0; i < converted.length; i++) {
			converted[i] = utc(converted[i]);
		}
		return converted;
	}

	/**
	 * @return a time as its UTC wall-clock time, anything else as it is
	 */
	static @Nullable Object utc(@Nullable Object value) {
		if (value instanceof OffsetDateTime time) {
			return LocalDateTime.ofInstant(time.toInstant(), ZoneOffset.UTC);
		}
		if (value instanceof Instant instant) {
			return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
		}
		if (value instanceof Timestamp timestamp) {
			return LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC);
		}
		return value;
	}

	/**
	 * @return the statement, binding times given to {@code setObject} as UTC
	 */
	private static PreparedStatement utcTimes(PreparedStatement statement) {
		return (PreparedStatement) Proxy.newProxyInstance(MariaDbJdbcTemplate.class.getClassLoader(),
				new Class<?>[] { PreparedStatement.class }, (proxy, method, args) -> {
					if (method.getName().equals("setObject") && args != null && args.length >= 2) {
						args[1] = utc(args[1]);
					}
					if (method.getName().equals("setTimestamp") && args != null && args.length == 2
							&& args[1] instanceof Timestamp timestamp) {
						// How Spring binds a Timestamp argument given with the type TIMESTAMP
						statement.setObject((int) args[0], utc(timestamp));
						return null;
					}
					return invoke(statement, method, args);
				});
	}

	/**
	 * @return the result set, reading {@code DATETIME} columns asked for as {@link OffsetDateTime} or
	 * {@link Instant} as UTC
	 */
	static ResultSet utcTimes(ResultSet rs) {
		return (ResultSet) Proxy.newProxyInstance(MariaDbJdbcTemplate.class.getClassLoader(),
				new Class<?>[] { ResultSet.class }, (proxy, method, args) -> {
					if (method.getName().equals("getObject") && args != null && args.length == 2
							&& (args[1] == OffsetDateTime.class || args[1] == Instant.class)) {
						LocalDateTime time = (LocalDateTime) invoke(rs, rs.getClass()
							.getMethod("getObject", method.getParameterTypes()), new Object[] { args[0], LocalDateTime.class });
						if (time == null) {
							return null;
						}
						return (args[1] == Instant.class) ? time.toInstant(ZoneOffset.UTC) : time.atOffset(ZoneOffset.UTC);
					}
					return invoke(rs, method, args);
				});
	}

	/**
	 * For reads that do not go through a template (the JPA session's connection): on MariaDB, the result
	 * set reading {@code DATETIME} columns as UTC; elsewhere the result set itself.
	 * @param connection the connection the result set came from
	 * @param rs the result set
	 * @return the result set to read
	 * @throws SQLException when the connection cannot tell its database
	 */
	static ResultSet utcTimesOn(Connection connection, ResultSet rs) throws SQLException {
		return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("mariadb")
				? utcTimes(rs) : rs;
	}

	private static @Nullable Object invoke(Object target, Method method, Object @Nullable [] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

}
