package dev.backgroundtasks.sample;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's scenarios on the PostgreSQL database named by {@code BGT_TEST_JDBC_URL} (as {@code .ci/run}
 * sets it), in a schema of their own so they never meet the tables of other test suites. Skipped when
 * no URL is given, unless {@code BGT_TEST_REQUIRE_POSTGRES=true}: then a missing URL fails the run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@EnabledIf("postgresRequested")
class SampleApplicationPostgresTests extends SampleApplicationScenarios {

	private static final String SCHEMA = "sample_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	static boolean postgresRequested() {
		return jdbcUrl() != null || Boolean.parseBoolean(System.getenv("BGT_TEST_REQUIRE_POSTGRES"));
	}

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = jdbcUrl();
		if (url == null) {
			throw new IllegalStateException("BGT_TEST_REQUIRE_POSTGRES=true but BGT_TEST_JDBC_URL is not set; "
					+ "set it to a PostgreSQL JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
		}
		registry.add("spring.datasource.url", () -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
		registry.add("spring.flyway.schemas", () -> SCHEMA);
	}

	private static @Nullable String jdbcUrl() {
		String url = System.getenv("BGT_TEST_JDBC_URL");
		return (url == null || url.isBlank()) ? null : url;
	}

}
