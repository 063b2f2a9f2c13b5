package dev.backgroundtasks.it;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@PostgresTest
class PostgresUnclaimableTasksTests extends AbstractUnclaimableTasksTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

}
