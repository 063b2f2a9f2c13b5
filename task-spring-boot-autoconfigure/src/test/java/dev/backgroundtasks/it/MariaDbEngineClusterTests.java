package dev.backgroundtasks.it;

/**
 * The engine's cluster promises on MariaDB, in a fresh database for each test.
 */
@MariaDbTest
class MariaDbEngineClusterTests extends AbstractEngineClusterTests {

	@Override
	String freshUrl() {
		return MariaDbTestDatabase.freshDatabaseUrl();
	}

}
