package dev.backgroundtasks.sample;

import java.util.UUID;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's scenarios on the PostgreSQL database named by {@code BGT_TEST_JDBC_URL} (as {@code .ci/run}
 * sets it), in a schema of their own so they never meet the tables of other test suites.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@EnabledIfEnvironmentVariable(named = "BGT_TEST_JDBC_URL", matches = "jdbc:postgresql:.+")
class SampleApplicationPostgresTests extends SampleApplicationScenarios {

	private static final String SCHEMA = "sample_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = System.getenv("BGT_TEST_JDBC_URL");
		registry.add("spring.datasource.url", () -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
		registry.add("spring.flyway.schemas", () -> SCHEMA);
	}

}
