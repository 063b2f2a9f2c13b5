package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The per-minute statistics end to end on PostgreSQL, in a fresh schema.
 */
@PostgresTest
class PostgresStatisticsTests extends AbstractStatisticsTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
