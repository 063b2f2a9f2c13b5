package dev.backgroundtasks.it;

/**
 * The engine's cluster promises on PostgreSQL, in a fresh schema for each test.
 */
@PostgresTest
class PostgresEngineClusterTests extends AbstractEngineClusterTests {

	@Override
	String freshUrl() {
		return PostgresTestDatabase.freshSchemaUrl();
	}

}
