package dev.backgroundtasks.execution;

import java.util.UUID;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.it.PostgresTestDatabase;

/**
 * The databases that tests of SQL-bound classes run on: H2 always, and PostgreSQL when
 * {@code BGT_TEST_JDBC_URL} is set or {@code BGT_TEST_REQUIRE_POSTGRES=true} (see
 * {@link PostgresTestDatabase}). Each call of {@link #fresh} gives a new, empty, migrated database.
 */
final class TestDatabases {

	static final String H2 = "H2";

	static final String POSTGRESQL = "PostgreSQL";

	private TestDatabases() {
	}

	/**
	 * @return the names of the databases to run on
	 */
	static Stream<String> names() {
		String url = System.getenv("BGT_TEST_JDBC_URL");
		boolean postgres = (url != null && !url.isBlank())
				|| Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_POSTGRES"));
		return postgres ? Stream.of(H2, POSTGRESQL) : Stream.of(H2);
	}

	/**
	 * @param name one of {@link #names()}
	 * @return a pool on a new database (PostgreSQL: a new schema) holding the starter's tables
	 */
	static HikariDataSource fresh(String name) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(POSTGRESQL.equals(name) ? PostgresTestDatabase.freshSchemaUrl()
				: "jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.of(dataSource)).afterPropertiesSet();
		return dataSource;
	}

}
