package dev.backgroundtasks.it;

import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The count's time budget on MariaDB, in a fresh database: the table is write-locked ({@code LOCK TABLES}),
 * which only {@code UNLOCK TABLES} releases.
 */
@MariaDbTest
class MariaDbCountTimeoutTests extends AbstractCountTimeoutTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

	@Override
	void lock(Statement statement) throws SQLException {
		statement.execute("LOCK TABLES bgt_execution WRITE");
	}

	@Override
	void unlock(Statement statement) throws SQLException {
		statement.execute("UNLOCK TABLES");
	}

}
