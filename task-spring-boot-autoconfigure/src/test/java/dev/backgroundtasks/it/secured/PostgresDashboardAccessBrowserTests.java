package dev.backgroundtasks.it.secured;

import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may do what on the dashboard, in Chromium, on PostgreSQL.
 */
@PostgresTest
class PostgresDashboardAccessBrowserTests extends AbstractDashboardAccessBrowserTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
