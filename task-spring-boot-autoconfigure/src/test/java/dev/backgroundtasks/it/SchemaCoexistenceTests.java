package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.app.NoteRepository;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.it.scan.EntityScanApplication;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter lives beside the application's own schema, however the application manages it: with its
 * own Flyway (the end-to-end tests), without Flyway and with Hibernate creating its tables, and with its
 * own {@code @EntityScan}. On H2 always; on PostgreSQL and on MariaDB when available.
 */
class SchemaCoexistenceTests {

	static Stream<Arguments> databases() {
		Supplier<String> h2 = () -> "jdbc:h2:mem:coexist-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		List<Arguments> all = new ArrayList<>(List.of(Arguments.of(Named.of("H2", h2))));
		if (!new PostgresTestDatabase().evaluateExecutionCondition(null).isDisabled()) {
			Supplier<String> postgres = PostgresTestDatabase::freshSchemaUrl;
			all.add(Arguments.of(Named.of("PostgreSQL", postgres)));
		}
		if (!new MariaDbTestDatabase().evaluateExecutionCondition(null).isDisabled()) {
			Supplier<String> mariadb = MariaDbTestDatabase::freshDatabaseUrl;
			all.add(Arguments.of(Named.of("MariaDB", mariadb)));
		}
		return all.stream();
	}

	@ParameterizedTest
	@MethodSource("databases")
	void appWithoutFlywayWhoseTablesHibernateCreates(Supplier<String> url) {
		try (ConfigurableApplicationContext context = start(TestTasksApplication.class, url.get(),
				"spring.flyway.enabled=false", "spring.jpa.hibernate.ddl-auto=create-drop")) {
			assertRoundTrip(context);
		}
	}

	@ParameterizedTest
	@MethodSource("databases")
	void appWithItsOwnEntityScan(Supplier<String> url) {
		try (ConfigurableApplicationContext context = start(EntityScanApplication.class, url.get())) {
			assertRoundTrip(context);
		}
	}

	@ParameterizedTest
	@MethodSource("databases")
	void restartFindsTheSchemaInPlace(Supplier<String> url) {
		String database = url.get();
		try (ConfigurableApplicationContext context = start(TestTasksApplication.class, database)) {
			assertRoundTrip(context);
		}
		try (ConfigurableApplicationContext context = start(TestTasksApplication.class, database)) {
			assertRoundTrip(context);
		}
	}

	private static void assertRoundTrip(ConfigurableApplicationContext context) {
		long id = System.nanoTime();
		Object text = context.getBean(TaskClient.class)
			.submit("saveNote", Map.of("id", id, "text", "coexisting"))
			.await(Duration.ofSeconds(10));
		assertThat(text).isEqualTo("coexisting");
		assertThat(context.getBean(NoteRepository.class).findById(id)).isPresent();
	}

	private static ConfigurableApplicationContext start(Class<?> application, String url, String... properties) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.run(Stream.concat(Stream.of("spring.datasource.url=" + url), Stream.of(properties))
				.map((property) -> "--" + property)
				.toArray(String[]::new));
	}

}
