package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cursor listing scenarios on PostgreSQL, in a fresh schema.
 */
@PostgresTest
class PostgresCursorListingTests extends AbstractCursorListingTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
