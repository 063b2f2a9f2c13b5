package dev.backgroundtasks.modulith.it;

import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Modulith scenarios on PostgreSQL, in a schema of their own: Modulith's {@code event_publication}
 * table is created there, beside the starter's tables.
 */
@PostgresTest
class PostgresModulithIntegrationTests extends AbstractModulithIntegrationTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
