package dev.backgroundtasks.test;

import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The test clock on PostgreSQL ({@code BGT_TEST_JDBC_URL}), in a schema of its own. Skipped without a URL,
 * unless {@code BGT_TEST_REQUIRE_POSTGRES=true}: then it fails.
 */
@SpringBootTest(classes = KitTestApplication.class)
@BackgroundTasksTest(clock = "2027-01-04T10:00:00Z")
@EnabledIf("dev.backgroundtasks.test.ExternalDatabases#postgresRequested")
class PostgresClockTests extends ClockScenarios {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = ExternalDatabases.freshPostgresSchema();
		registry.add("spring.datasource.url", () -> url);
	}

}
