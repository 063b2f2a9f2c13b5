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
 * {@code BGT_TEST_MARIADB_URL} (a URL without a database, such as
 * {@code jdbc:mariadb://127.0.0.1:3306/?user=root}) when set; otherwise the tests are skipped, or fail when
 * {@code BGT_TEST_REQUIRE_MARIADB=true}, so CI cannot skip them silently. Each caller of
 * {@link #freshDatabaseUrl()} gets a new database of its own, dropped when the JVM exits.
 */
public final class MariaDbTestDatabase implements ExecutionCondition {

	private static final boolean required = Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_MARIADB"));

	private static final String serverUrl = System.getenv("BGT_TEST_MARIADB_URL");

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
		if (serverUrl != null && !serverUrl.isBlank()) {
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
		if (serverUrl == null || serverUrl.isBlank()) {
			throw new IllegalStateException("No MariaDB available");
		}
		String database = "bgt_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
		created.add(database);
		int query = serverUrl.indexOf('?');
		String base = (query >= 0) ? serverUrl.substring(0, query) : serverUrl;
		String options = (query >= 0) ? serverUrl.substring(query) : "";
		return (base.endsWith("/") ? base : base + "/") + database + options;
	}

	private static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(serverUrl);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on MariaDB", ex);
		}
	}

	private static void dropCreated() {
		for (String database : created) {
			try {
				execute("DROP DATABASE IF EXISTS " + database);
			}
			catch (IllegalStateException ex) {
				// The server may be gone already; the database is left behind.
			}
		}
	}

}
