package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Fresh, migrated databases of every {@link StoreDatabase}, for tests of SQL-bound classes that are not
 * store contracts ({@link DatabaseTest}). A database that is not available here is skipped visibly, or
 * fails the test when it is required, as in the contract suite.
 */
final class TestDatabases {

	private TestDatabases() {
	}

	/**
	 * @return the names of the databases to run on: every {@link StoreDatabase}
	 */
	static Stream<String> names() {
		return Arrays.stream(StoreDatabase.values()).map(StoreDatabase::name);
	}

	/**
	 * @param name one of {@link #names()}
	 * @return a pool on a new database (PostgreSQL: a new schema) holding the starter's tables
	 */
	static HikariDataSource fresh(String name) {
		StoreDatabase database = StoreDatabase.valueOf(name);
		database.assumeAvailable();
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.freshUrl());
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.of(dataSource)).afterPropertiesSet();
		return dataSource;
	}

}
