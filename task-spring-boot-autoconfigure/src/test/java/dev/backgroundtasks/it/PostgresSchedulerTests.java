package dev.backgroundtasks.it;

/**
 * The scheduler shared by several nodes on PostgreSQL, in a fresh schema for each test.
 */
@PostgresTest
class PostgresSchedulerTests extends AbstractSchedulerTests {

	@Override
	String freshUrl() {
		return PostgresTestDatabase.freshSchemaUrl();
	}

}
