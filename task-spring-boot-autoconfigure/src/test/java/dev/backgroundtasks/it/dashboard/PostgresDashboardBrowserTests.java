package dev.backgroundtasks.it.dashboard;

import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in Chromium, on PostgreSQL, in a fresh schema.
 */
@PostgresTest
class PostgresDashboardBrowserTests extends AbstractDashboardBrowserTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

	@Override
	String database() {
		return "postgresql";
	}

}
