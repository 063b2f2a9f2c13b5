package dev.backgroundtasks.it;

/**
 * The cluster scenario on PostgreSQL, in a fresh schema.
 */
@PostgresTest
class PostgresClusterTests extends AbstractClusterTests {

	@Override
	String freshUrl() {
		return PostgresTestDatabase.freshSchemaUrl();
	}

}
