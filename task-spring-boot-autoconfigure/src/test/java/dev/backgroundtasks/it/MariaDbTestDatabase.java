package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides once per JVM, before any Spring context starts, where MariaDB tests run: the server of
 * {@code BGT_TEST_MARIADB_URL} when set; otherwise the tests are skipped, or fail when
 * {@code BGT_TEST_REQUIRE_MARIADB=true}, so CI cannot skip them silently. Each caller of
 * {@link #freshDatabaseUrl()} gets a new database of its own on that server, dropped when the JVM exits.
 * <p>
 * The URL may name no database ({@code jdbc:mariadb://127.0.0.1:3306/?user=root}) or one
 * ({@code jdbc:mariadb://127.0.0.1:3306/bgt_ci_123?user=root}, as {@code .ci/run} sets it). The tests never
 * use a named database itself: they connect to the server without it, and their databases are named after
 * it ({@code bgt_ci_123_it_…}), so that whoever created it can drop what a killed JVM left behind.
 */
public final class MariaDbTestDatabase implements ExecutionCondition {

	private static final boolean required = Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_MARIADB"));

	private static final String givenUrl = System.getenv("BGT_TEST_MARIADB_URL");

	private static final String serverUrl = (givenUrl != null && !givenUrl.isBlank()) ? serverUrl(givenUrl) : null;

	private static final String prefix = (serverUrl != null) ? databasePrefix(givenUrl) : null;

	private static final List<String> created = new CopyOnWriteArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(MariaDbTestDatabase::dropCreated, "bgt-mariadb-cleanup"));
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		return evaluate();
	}

	/**
	 * Skips the calling test when no MariaDB is available, or fails it when one is required.
	 */
	public static void assumeAvailable() {
		ConditionEvaluationResult result = evaluate();
		Assumptions.assumeFalse(result.isDisabled(), () -> result.getReason().orElse("No MariaDB"));
	}

	private static ConditionEvaluationResult evaluate() {
		if (serverUrl != null) {
			return ConditionEvaluationResult.enabled("MariaDB at " + serverUrl.replaceAll("password=[^&]*", "password=***"));
		}
		if (required) {
			throw new IllegalStateException("BGT_TEST_REQUIRE_MARIADB=true but no MariaDB is available: "
					+ "set BGT_TEST_MARIADB_URL, such as jdbc:mariadb://127.0.0.1:3306/?user=root");
		}
		return ConditionEvaluationResult.disabled("No MariaDB: BGT_TEST_MARIADB_URL is not set");
	}

	/**
	 * Creates a new, empty database and returns a JDBC URL that connects to it.
	 * @return the URL
	 */
	public static String freshDatabaseUrl() {
		if (serverUrl == null) {
			throw new IllegalStateException("No MariaDB available");
		}
		String database = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(serverUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + database + " on MariaDB", ex);
		}
		created.add(database);
		return withDatabase(serverUrl, database);
	}

	/**
	 * @param url a MariaDB JDBC URL, with or without a database
	 * @return the same URL without its database: {@code jdbc:mariadb://host:port/?options}
	 */
	static String serverUrl(String url) {
		return withDatabase(url, "");
	}

	/**
	 * @param url a MariaDB JDBC URL, with or without a database
	 * @param database the database to name instead, or an empty string for none
	 * @return the URL with the given database in place of its own, its options kept
	 */
	static String withDatabase(String url, String database) {
		String[] parts = split(url);
		return parts[0] + "/" + database + parts[2];
	}

	/**
	 * @param url a MariaDB JDBC URL, with or without a database
	 * @return {@code <database>_it_} when the URL names a database (of up to 44 characters), otherwise
	 * {@code bgt_it_}
	 */
	static String databasePrefix(String url) {
		String database = split(url)[1];
		// MariaDB's names have at most 64 characters; 12 are the random part.
		return (database.isEmpty() || database.length() > 44) ? "bgt_it_" : database + "_it_";
	}

	/**
	 * @return the URL up to its host(s) and port, its database (perhaps empty), and its options from the
	 * {@code ?} (perhaps empty)
	 */
	private static String[] split(String url) {
		int authority = url.indexOf("//");
		if (!url.startsWith("jdbc:") || authority < 0) {
			throw new IllegalArgumentException("Not a MariaDB JDBC URL: " + url);
		}
		int query = url.indexOf('?', authority + 2);
		String options = (query >= 0) ? url.substring(query) : "";
		String location = (query >= 0) ? url.substring(0, query) : url;
		int path = location.indexOf('/', authority + 2);
		String server = (path >= 0) ? location.substring(0, path) : location;
		String database = (path >= 0) ? location.substring(path + 1) : "";
		return new String[] { server, database.replaceAll("/+$", ""), options };
	}

	/**
	 * Drops the databases this JVM created. Spring closes its cached contexts in a shutdown hook of its own,
	 * at the same time: a drop waits at most ten seconds for a transaction still open in one.
	 */
	private static void dropCreated() {
		if (created.isEmpty()) {
			return;
		}
		try (Connection connection = DriverManager.getConnection(serverUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("SET SESSION lock_wait_timeout = 10");
			for (String database : created) {
				try {
					statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
				}
				catch (SQLException ex) {
					// Still in use: left behind, for whoever created the server's named database to drop.
				}
			}
		}
		catch (SQLException ex) {
			// The server may be gone already; the databases are left behind.
		}
	}

}
