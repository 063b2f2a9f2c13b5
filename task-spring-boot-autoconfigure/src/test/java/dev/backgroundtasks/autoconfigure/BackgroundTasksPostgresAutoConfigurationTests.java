package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import dev.backgroundtasks.postgres.PostgresEventRelay;
import dev.backgroundtasks.postgres.PostgresReadyNotifier;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.postgres.PostgresStreamInterestListener;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import dev.backgroundtasks.support.ClusterWakeUp;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksPostgresAutoConfiguration}: its beans exist on PostgreSQL only.
 */
@PostgresTest
class BackgroundTasksPostgresAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
			TransactionAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
			BackgroundTasksWebAutoConfiguration.class, BackgroundTasksPostgresAutoConfiguration.class);

	private final String url = PostgresTestDatabase.freshSchemaUrl();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=" + this.url);

	@Test
	void providesTheClusterBeansOnPostgres() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(PostgresReadyNotifier.class)
				.hasSingleBean(PostgresStreamInterest.class)
				.hasSingleBean(PostgresStreamInterestListener.class)
				.hasSingleBean(PostgresWakeUpListener.class)
				.doesNotHaveBean(PostgresEventRelay.class);
			assertThat(context.getBean(DatabaseKind.class)).isEqualTo(DatabaseKind.POSTGRESQL);
			assertThat(context.getBean(DatabaseDialect.class).kind()).isEqualTo(DatabaseKind.POSTGRESQL);
			assertThat(context.getBean(ClusterWakeUp.class)).isSameAs(context.getBean(PostgresReadyNotifier.class));
			assertThat(context.getBeansOfType(ExecutionEventSink.class)).containsOnlyKeys("postgresExecutionEventNotifier");
		});
	}

	@Test
	void aNodeWithoutWorkerListensForNoWakeUps() {
		this.contextRunner.withPropertyValues("background-tasks.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(PostgresWakeUpListener.class)
				.hasSingleBean(PostgresReadyNotifier.class)
				.hasSingleBean(PostgresStreamInterestListener.class));
	}

	@Test
	void theStreamOfAWebNodeIsFedByTheRelayOnly() {
		new WebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=" + this.url)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PostgresEventRelay.class);
				assertThat(context.getBeansOfType(ExecutionEventSink.class))
					.containsOnlyKeys("postgresExecutionEventNotifier");
			});
	}

	@Test
	void aWebNodeOnH2FeedsItsStreamItself() {
		new WebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PostgresEventRelay.class);
				assertThat(context.getBeansOfType(ExecutionEventSink.class)).containsOnlyKeys("executionEventStreamFeed");
			});
	}

	@Test
	void providesNothingWithoutThePostgresDriverClasses() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withClassLoader(new FilteredClassLoader("org.postgresql"))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}",
					"background-tasks.database.platform=h2")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(PostgresReadyNotifier.class)
				.doesNotHaveBean(PostgresStreamInterest.class));
	}

	@Test
	void aListenerCheckIntervalBelowAMillisecondIsRefused() {
		this.contextRunner.withPropertyValues("background-tasks.database.listener-check-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("background-tasks.database.listener-check-interval must be at least 1ms"));
	}

	@Test
	void backsOffForUserBeans() {
		PostgresReadyNotifier notifier = new PostgresReadyNotifier(
				new JdbcTemplate(), "user");
		this.contextRunner.withBean("userReadyNotifier", PostgresReadyNotifier.class, () -> notifier)
			.run((context) -> assertThat(context).getBean(PostgresReadyNotifier.class).isSameAs(notifier));
	}

}
