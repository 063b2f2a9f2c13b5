package dev.backgroundtasks.it;

/**
 * The cluster scenario on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbClusterTests extends AbstractClusterTests {

	@Override
	String freshUrl() {
		return MariaDbTestDatabase.freshDatabaseUrl();
	}

}
