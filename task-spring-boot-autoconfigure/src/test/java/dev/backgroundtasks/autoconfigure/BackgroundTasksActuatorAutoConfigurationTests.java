package dev.backgroundtasks.autoconfigure;

import java.util.List;

import dev.backgroundtasks.actuate.BackgroundTasksEndpoint;
import dev.backgroundtasks.actuate.BackgroundTasksHealthIndicator;
import dev.backgroundtasks.support.EngineThreads;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksActuatorAutoConfiguration}.
 */
class BackgroundTasksActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
				BackgroundTasksSchedulerAutoConfiguration.class, BackgroundTasksActuatorAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}",
				"management.endpoints.web.exposure.include=backgroundtasks");

	@Test
	void providesTheEndpointAndTheHealthIndicator() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(BackgroundTasksEndpoint.class)
				.hasSingleBean(BackgroundTasksHealthIndicator.class)
				.hasBean("backgroundTasksHealthIndicator");
			assertThat(context.getBean(BackgroundTasksEndpoint.class).backgroundTasks().nodes()).isNotNull();
		});
	}

	@Test
	void providesNoEndpointThatIsNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksEndpoint.class)
				.hasSingleBean(BackgroundTasksHealthIndicator.class));
	}

	@Test
	void providesNothingWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksEndpoint.class)
				.doesNotHaveBean(BackgroundTasksHealthIndicator.class));
	}

	@Test
	void providesNoHealthIndicatorWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BackgroundTasksEndpoint.class)
				.doesNotHaveBean(BackgroundTasksHealthIndicator.class));
	}

	@Test
	void providesNoHealthIndicatorWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.backgroundtasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksHealthIndicator.class));
	}

	@Test
	void readsHealthThresholdsFromConfiguration() {
		this.contextRunner.withPropertyValues("background-tasks.health.max-expired-leases=-1")
			.run((context) -> {
				Health health = context.getBean(BackgroundTasksHealthIndicator.class).health(true);
				assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
				assertThat(health.getDetails().get("reason").toString()).contains("max-expired-leases=-1");
			});
	}

	@Test
	void healthIsDownWhileAnEngineThreadRegisteredInTheContextIsDead() {
		this.contextRunner.run((context) -> {
			BackgroundTasksHealthIndicator indicator = context.getBean(BackgroundTasksHealthIndicator.class);
			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
			EngineThreads.Registration registration = context.getBean(EngineThreads.class)
				.register("bgt-test-dispatcher", () -> false);
			Health down = indicator.health(true);
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(down.getDetails()).containsEntry("deadEngineThreads", List.of("bgt-test-dispatcher"));
			registration.remove();
			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void backsOffFromAUserHealthIndicatorOfTheSameName() {
		HealthIndicator custom = () -> Health.up().build();
		this.contextRunner.withBean("backgroundTasksHealthIndicator", HealthIndicator.class, () -> custom)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksHealthIndicator.class)
				.getBean("backgroundTasksHealthIndicator")
				.isSameAs(custom));
	}

}
