package dev.backgroundtasks.compatibility;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios on PostgreSQL, where events reach the stream through {@code pg_notify} and the cluster
 * event codec.
 */
@ExtendWith(PostgresDatabase.class)
class PostgresCompatibilityTests extends AbstractCompatibilityTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = PostgresDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
