package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cursor listing scenarios on MariaDB, in a fresh database.
 */
@MariaDbTest
class MariaDbCursorListingTests extends AbstractCursorListingTests {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = MariaDbTestDatabase.freshDatabaseUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
