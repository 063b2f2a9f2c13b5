package dev.backgroundtasks.it;

import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The count's time budget on PostgreSQL, in a fresh schema: the table is locked in access exclusive mode
 * until the rollback.
 */
@PostgresTest
class PostgresCountTimeoutTests extends AbstractCountTimeoutTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

	@Override
	void lock(Statement statement) throws SQLException {
		statement.execute("LOCK TABLE bgt_execution IN ACCESS EXCLUSIVE MODE");
	}

	@Override
	void unlock(Statement statement) {
		// The rollback ends the lock.
	}

}
