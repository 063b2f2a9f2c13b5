package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The engine's promises on one node on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbEngineTests extends AbstractEngineTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
