package dev.backgroundtasks.benchmarks;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The databases the harness runs on, told apart by their JDBC URL, and the few pieces of SQL the child JVMs
 * spell differently on each when they fill a table: a random key, a series of rows, refreshing statistics.
 */
enum BenchDatabase {

	POSTGRESQL("PostgreSQL", "postgres", "gen_random_uuid()", "generate_series(%d, %d)", "VACUUM ANALYZE %s"),

	/** {@code UUID()} is a version 1 UUID, the only kind MariaDB 10.11 makes; {@code seq_*} is its sequence engine. */
	MARIADB("MariaDB", "root", "UUID()", "seq_%d_to_%d", "ANALYZE TABLE %s"),

	H2("embedded H2", "sa", "RANDOM_UUID()", "SYSTEM_RANGE(%d, %d)", null);

	final String title;

	final String defaultUser;

	private final String randomUuid;

	private final String series;

	private final @Nullable String analyze;

	BenchDatabase(String title, String defaultUser, String randomUuid, String series, @Nullable String analyze) {
		this.title = title;
		this.defaultUser = defaultUser;
		this.randomUuid = randomUuid;
		this.series = series;
		this.analyze = analyze;
	}

	static BenchDatabase of(String jdbcUrl) {
		if (jdbcUrl.startsWith("jdbc:mariadb:")) {
			return MARIADB;
		}
		return jdbcUrl.startsWith("jdbc:h2:") ? H2 : POSTGRESQL;
	}

	/**
	 * @return the database of this child JVM ({@code -Dbench.jdbcUrl})
	 */
	static BenchDatabase current() {
		return of(Bench.jdbcUrl());
	}

	/**
	 * @return the user given with {@code -Dbench.user}, else the local server's administrator
	 */
	String user() {
		return Bench.str("user", this.defaultUser);
	}

	String randomUuid() {
		return this.randomUuid;
	}

	/**
	 * @return a table expression of the integers {@code from} to {@code to}, as one column
	 */
	String series(int from, int to) {
		return String.format(Locale.ROOT, this.series, from, to);
	}

	/**
	 * @return the statement that refreshes the planner's statistics of a freshly filled table, or {@code null}
	 */
	@Nullable String analyze(String table) {
		return (this.analyze != null) ? String.format(Locale.ROOT, this.analyze, table) : null;
	}

}
