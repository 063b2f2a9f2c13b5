package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Actuator endpoint, health indicator and nodes table on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbActuatorTests extends AbstractActuatorTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
