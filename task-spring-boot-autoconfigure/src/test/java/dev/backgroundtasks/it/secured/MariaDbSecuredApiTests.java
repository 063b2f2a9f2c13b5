package dev.backgroundtasks.it.secured;

import dev.backgroundtasks.it.MariaDbTest;
import dev.backgroundtasks.it.MariaDbTestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Access to every endpoint on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbSecuredApiTests extends AbstractSecuredApiTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
