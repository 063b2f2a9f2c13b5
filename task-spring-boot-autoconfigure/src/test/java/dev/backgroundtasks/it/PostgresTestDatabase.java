package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Decides once per JVM, before any Spring context starts, where PostgreSQL tests run:
 * {@code BGT_TEST_JDBC_URL} when set; otherwise one shared Testcontainers container when Docker is
 * available; otherwise the tests are skipped — or fail when {@code BGT_TEST_REQUIRE_POSTGRES=true}, so
 * CI cannot skip them silently. Each caller of {@link #freshSchemaUrl()} gets its own new schema, as
 * the database outlives test runs and may hold other data.
 */
public final class PostgresTestDatabase implements ExecutionCondition {

	private static final boolean required = Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_POSTGRES"));

	private static final String baseUrl = decide();

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		return evaluate();
	}

	/**
	 * Skips the calling test when no PostgreSQL is available, or fails it when one is required: for
	 * tests that run on several databases, which a condition on the class would skip on all of them.
	 */
	public static void assumeAvailable() {
		ConditionEvaluationResult result = evaluate();
		Assumptions.assumeFalse(result.isDisabled(), () -> result.getReason().orElse("No PostgreSQL"));
	}

	private static ConditionEvaluationResult evaluate() {
		if (baseUrl != null) {
			return ConditionEvaluationResult.enabled("PostgreSQL at " + withoutCredentials(baseUrl));
		}
		if (required) {
			throw new IllegalStateException("BGT_TEST_REQUIRE_POSTGRES=true but no PostgreSQL is available: "
					+ "set BGT_TEST_JDBC_URL or make Docker available");
		}
		return ConditionEvaluationResult.disabled("No PostgreSQL: BGT_TEST_JDBC_URL is not set and Docker is absent");
	}

	/**
	 * Creates a new, empty schema and returns a JDBC URL whose current schema it is.
	 * @return the URL
	 */
	public static String freshSchemaUrl() {
		if (baseUrl == null) {
			throw new IllegalStateException("No PostgreSQL available");
		}
		String schema = "bgt_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(baseUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create schema " + schema, ex);
		}
		return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	private static String decide() {
		String url = System.getenv("BGT_TEST_JDBC_URL");
		if (url != null && !url.isBlank()) {
			return url;
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password="
					+ container.getPassword();
		}
		return null;
	}

	private static String withoutCredentials(String url) {
		return url.replaceAll("password=[^&]*", "password=***");
	}

}
