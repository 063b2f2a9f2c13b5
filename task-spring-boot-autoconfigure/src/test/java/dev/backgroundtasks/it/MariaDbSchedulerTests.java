package dev.backgroundtasks.it;

/**
 * The scheduler shared by several nodes on MariaDB, in a fresh database for each test.
 */
@MariaDbTest
class MariaDbSchedulerTests extends AbstractSchedulerTests {

	@Override
	String freshUrl() {
		return MariaDbTestDatabase.freshDatabaseUrl();
	}

}
