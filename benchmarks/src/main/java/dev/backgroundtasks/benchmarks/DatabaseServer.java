package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The suite's administrator connection to the local database server: a fresh database per scenario,
 * dropped afterwards, and what the report says about the server. {@code -Dbench.database} chooses it
 * ({@code postgresql}, the default, or {@code mariadb}).
 */
abstract class DatabaseServer {

	private final String base;

	DatabaseServer(String base) {
		this.base = base.endsWith("/") ? base : base + "/";
	}

	static DatabaseServer fromSettings() {
		return switch (Bench.str("database", "postgresql").toLowerCase(Locale.ROOT)) {
			case "postgresql", "postgres" -> new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));
			case "mariadb" -> new MariaDb(Bench.str("mariadbUrl", "jdbc:mariadb://127.0.0.1:3306/"));
			default -> throw new IllegalArgumentException("-Dbench.database is postgresql or mariadb, not "
					+ Bench.str("database", ""));
		};
	}

	abstract BenchDatabase kind();

	String url(String database) {
		return this.base + database;
	}

	void create(String database) throws SQLException {
		drop(database);
		execute("CREATE DATABASE " + database);
		for (String settle : settleStatements()) {
			execute(settle);
		}
	}

	/**
	 * @return what to run before each scenario so that every target starts from the same state of the
	 * server; none by default
	 */
	List<String> settleStatements() {
		return List.of();
	}

	void drop(String database) throws SQLException {
		execute(dropStatement(database));
	}

	/** Drops what an interrupted run left behind: only databases named like the suite names them. */
	void dropLeftovers() throws SQLException {
		List<String> leftovers = new ArrayList<>();
		try (Connection connection = admin(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(databasesNamed(BenchmarkSuite.databasePrefix().replace("_", "\\_") + "%"))) {
			while (rows.next()) {
				leftovers.add(rows.getString(1));
			}
		}
		for (String database : leftovers) {
			drop(database);
		}
	}

	/**
	 * @return the commits of one database so far, where the server counts them per database
	 */
	abstract OptionalLong commits(String database) throws SQLException;

	/**
	 * @return the server's version and the settings that weigh on the figures, by name
	 */
	final Map<String, String> settings() throws SQLException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (Connection connection = admin()) {
			settings.put("version", column(connection, "SELECT version()").get(0));
			for (String name : settingNames()) {
				settings.put(name, column(connection, settingQuery(name)).get(0));
			}
		}
		return settings;
	}

	/**
	 * @return the names of the settings that weigh on the figures
	 */
	abstract List<String> settingNames();

	/**
	 * @return a query of one setting's value
	 */
	abstract String settingQuery(String name);

	abstract String dropStatement(String database);

	/**
	 * @return a query of the names of the databases that match a {@code LIKE} pattern
	 */
	abstract String databasesNamed(String pattern);

	/**
	 * @return a connection to the server outside the benchmark's databases
	 */
	abstract Connection admin() throws SQLException;

	/**
	 * @return the first column of each row
	 */
	final List<String> column(Connection connection, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				values.add(rows.getString(1));
			}
		}
		return values;
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = admin(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
