package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-minute statistics end to end on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbStatisticsTests extends AbstractStatisticsTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
