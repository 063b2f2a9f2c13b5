package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The event overflow scenario on PostgreSQL: events and the notice of dropped ones reach the stream
 * through {@code NOTIFY} and the cluster relay.
 */
@PostgresTest
class PostgresEventOverflowTests extends AbstractEventOverflowTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
