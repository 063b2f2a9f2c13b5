package dev.backgroundtasks.compatibility;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where the PostgreSQL scenarios run: {@code BGT_TEST_JDBC_URL}, in a new schema per test class (the
 * database is shared and outlives the run). Without it the scenarios are skipped, or fail when
 * {@code BGT_TEST_REQUIRE_POSTGRES=true}, so CI cannot skip them silently.
 */
final class PostgresDatabase implements ExecutionCondition {

	private static final String URL = System.getenv("BGT_TEST_JDBC_URL");

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (URL != null && !URL.isBlank()) {
			return ConditionEvaluationResult.enabled("PostgreSQL from BGT_TEST_JDBC_URL");
		}
		if (Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_POSTGRES"))) {
			throw new IllegalStateException("BGT_TEST_REQUIRE_POSTGRES=true but BGT_TEST_JDBC_URL is not set");
		}
		return ConditionEvaluationResult.disabled("BGT_TEST_JDBC_URL is not set");
	}

	/**
	 * @return a JDBC URL whose current schema is a new, empty one
	 */
	static String freshSchemaUrl() {
		String schema = "bgt_compat_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(URL);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create schema " + schema, ex);
		}
		return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

}
