package dev.backgroundtasks.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL and MariaDB servers the tests may use, from {@code BGT_TEST_JDBC_URL} and
 * {@code BGT_TEST_MARIADB_URL}. The test clock makes a context see its database at another time (it would
 * take other applications' leases for expired), so each context gets a schema or database of its own.
 */
final class ExternalDatabases {

	/** {@code jdbc:mariadb://host:port}, then the database (perhaps none), then the options (perhaps none). */
	private static final Pattern MARIADB_URL = Pattern.compile("(jdbc:mariadb:[^/]*//[^/?]+)/?([^?]*)(\\?.*)?");

	private ExternalDatabases() {
	}

	static boolean postgresRequested() {
		return env("BGT_TEST_JDBC_URL") != null || Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_POSTGRES"));
	}

	static boolean mariadbRequested() {
		return env("BGT_TEST_MARIADB_URL") != null || Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_MARIADB"));
	}

	/**
	 * @return the URL of a new, empty PostgreSQL schema
	 */
	static String freshPostgresSchema() {
		String base = require("BGT_TEST_JDBC_URL", "BGT_TEST_REQUIRE_POSTGRES",
				"jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
		String schema = "bgt_kit_" + suffix();
		execute(base, "CREATE SCHEMA " + schema);
		return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	/**
	 * @return the URL of a new MariaDB database, dropped when the JVM exits
	 */
	static String freshMariaDbDatabase() {
		String given = require("BGT_TEST_MARIADB_URL", "BGT_TEST_REQUIRE_MARIADB", "jdbc:mariadb://127.0.0.1:3306/?user=root");
		Matcher parts = MARIADB_URL.matcher(given);
		if (!parts.matches()) {
			throw new IllegalStateException("BGT_TEST_MARIADB_URL is not a MariaDB JDBC URL: " + given);
		}
		String database = "bgt_kit_" + suffix();
		String options = (parts.group(3) != null) ? parts.group(3) + "&" : "?";
		String url = parts.group(1) + "/" + database + options + "createDatabaseIfNotExist=true";
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				execute(url, "DROP DATABASE IF EXISTS `" + database + "`");
			}
			catch (IllegalStateException ex) {
				// The server may be gone already; the database is left behind.
			}
		}, "kit-mariadb-cleanup"));
		return url;
	}

	private static String require(String variable, String requirement, String example) {
		String url = env(variable);
		if (url == null) {
			throw new IllegalStateException(requirement + "=true but " + variable + " is not set; set it to a JDBC URL"
					+ " such as " + example);
		}
		return url;
	}

	private static void execute(String url, String sql) {
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

	private static String suffix() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private static @Nullable String env(String name) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? null : value;
	}

}
