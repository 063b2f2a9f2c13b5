package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Executions no live node can claim, shown on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbUnclaimableTasksTests extends AbstractUnclaimableTasksTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
