package dev.backgroundtasks.test;

import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The test clock on MariaDB ({@code BGT_TEST_MARIADB_URL}), in a database of its own. Skipped without a URL,
 * unless {@code BGT_TEST_REQUIRE_MARIADB=true}: then it fails.
 */
@SpringBootTest(classes = KitTestApplication.class)
@BackgroundTasksTest(clock = "2027-01-04T10:00:00Z")
@EnabledIf("dev.backgroundtasks.test.ExternalDatabases#mariadbRequested")
class MariaDbClockTests extends ClockScenarios {

	@DynamicPropertySource
	static void mariadb(DynamicPropertyRegistry registry) {
		String url = ExternalDatabases.freshMariaDbDatabase();
		registry.add("spring.datasource.url", () -> url);
	}

}
