package dev.backgroundtasks.autoconfigure;

import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.actuate.EventDeliveryMetrics;
import dev.backgroundtasks.actuate.ExecutionMetrics;
import dev.backgroundtasks.actuate.QueueGauges;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksMetricsAutoConfiguration}.
 */
class BackgroundTasksMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksMetricsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void providesMetricsWhenAMeterRegistryIsPresent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ExecutionMetrics.class).hasSingleBean(QueueGauges.class)
				.hasSingleBean(EventDeliveryMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("background.tasks.active").gauge()).isNotNull();
		});
	}

	@Test
	void countsTheEventsDroppedBecauseTheEventQueueWasFull() {
		this.contextRunner.withPropertyValues("background-tasks.events.queue-capacity=2").run((context) -> {
			ExecutionEventPublisher publisher = context.getBean(ExecutionEventPublisher.class);
			// Stopped, so that nothing is delivered meanwhile: the queue keeps two, the third is dropped.
			publisher.stop();
			for (int i = 0; i < 3; i++) {
				publisher.publish(new ExecutionStatusEvent(UUID.randomUUID(), "greet", TaskStatus.SUCCESSFUL, 1, "n1"));
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("background.tasks.events.dropped").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("background.tasks.events.queued").gauge().value()).isEqualTo(2);
		});
	}

	@Test
	void providesNoMetricsWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
					TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
					BackgroundTasksMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ExecutionMetrics.class)
				.doesNotHaveBean(QueueGauges.class));
	}

	@Test
	void providesNoMetricsWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
					TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
					BackgroundTasksMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ExecutionMetrics.class)
				.doesNotHaveBean(QueueGauges.class));
	}

	@Test
	void providesNoMetricsWhenBackgroundTasksAreOff() {
		this.contextRunner.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(MeterRegistry.class)
				.doesNotHaveBean(ExecutionMetrics.class));
	}

	@Test
	void backsOffFromUserBeans() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ExecutionMetrics metrics = new ExecutionMetrics(registry);
		this.contextRunner.withBean("customMetrics", ExecutionMetrics.class, () -> metrics)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ExecutionMetrics.class)
				.getBean(ExecutionMetrics.class)
				.isSameAs(metrics));
	}

}
