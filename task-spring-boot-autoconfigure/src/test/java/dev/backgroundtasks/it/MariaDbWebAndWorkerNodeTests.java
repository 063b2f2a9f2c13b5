package dev.backgroundtasks.it;

/**
 * A web-only node and a worker node on MariaDB, in a fresh database: the worker's progress and result
 * show on the web-only node, read from the database.
 */
@MariaDbTest
class MariaDbWebAndWorkerNodeTests extends AbstractWebAndWorkerNodeTests {

	@Override
	String freshUrl() {
		return MariaDbTestDatabase.freshDatabaseUrl();
	}

}
