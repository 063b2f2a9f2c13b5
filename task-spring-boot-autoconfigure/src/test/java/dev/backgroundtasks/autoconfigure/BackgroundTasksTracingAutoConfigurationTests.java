package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.actuate.DefaultExecutionObservationConvention;
import dev.backgroundtasks.actuate.ExecutionObservationContext;
import dev.backgroundtasks.actuate.ExecutionObservationConvention;
import dev.backgroundtasks.actuate.ObservationExecutionObserver;
import dev.backgroundtasks.actuate.TracingExecutionObserver;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.support.AttemptOutcome;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksObservationAutoConfiguration} and
 * {@link BackgroundTasksTracingAutoConfiguration}.
 */
class BackgroundTasksTracingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
				BackgroundTasksObservationAutoConfiguration.class, BackgroundTasksTracingAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void observesNoAttemptsWithoutATracerByDefault() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ObservationExecutionObserver.class)
				.doesNotHaveBean(TracingExecutionObserver.class));
	}

	@Test
	void observesAttemptsWithoutATracerWhenEnabled() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withPropertyValues("background-tasks.observation.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ObservationExecutionObserver.class)
				.doesNotHaveBean(TracingExecutionObserver.class));
	}

	@Test
	void observesAttemptsWhenATracerIsPresent() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ObservationExecutionObserver.class));
	}

	@Test
	void observesNoAttemptsWhenDisabledEvenWithATracer() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.withPropertyValues("background-tasks.observation.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ObservationExecutionObserver.class)
				.hasSingleBean(TracingExecutionObserver.class));
	}

	@Test
	void propagatesTracesWhenATracerAndAPropagatorArePresent() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ObservationExecutionObserver.class)
				.hasSingleBean(TracingExecutionObserver.class));
	}

	@Test
	void propagatesNothingWithATracerButNoPropagator() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TracingExecutionObserver.class));
	}

	@Test
	void propagatesNothingWithoutMicrometerTracing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withPropertyValues("background-tasks.observation.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ObservationExecutionObserver.class)
				.doesNotHaveBean(TracingExecutionObserver.class));
	}

	@Test
	void observesNothingWithoutMicrometerObservation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class, Tracer.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ObservationExecutionObserver.class)
				.doesNotHaveBean(TracingExecutionObserver.class));
	}

	@Test
	void backsOffFromUserBeans() {
		ObservationExecutionObserver observer = new ObservationExecutionObserver(ObservationRegistry.NOOP, null);
		TracingExecutionObserver tracing = new TracingExecutionObserver(Tracer.NOOP, Propagator.NOOP);
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.withBean("customObserver", ObservationExecutionObserver.class, () -> observer)
			.withBean("customTracing", TracingExecutionObserver.class, () -> tracing)
			.run((context) -> {
				assertThat(context).getBean(ObservationExecutionObserver.class).isSameAs(observer);
				assertThat(context).getBean(TracingExecutionObserver.class).isSameAs(tracing);
			});
	}

	@Test
	void aUserConventionNamesTheObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		ExecutionObservationConvention custom = new DefaultExecutionObservationConvention() {

			@Override
			public String getName() {
				return "custom.attempt";
			}

		};
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			.withBean(ExecutionObservationConvention.class, () -> custom)
			.withPropertyValues("background-tasks.observation.enabled=true")
			.run((context) -> {
				ClaimedExecution claim = new ClaimedExecution(ExecutionIds.next(), "add", "{}", 1, "n", 1);
				context.getBean(ObservationExecutionObserver.class)
					.attemptStarted(claim)
					.ended(AttemptOutcome.SUCCESS, null);
				TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("custom.attempt")
					.that()
					.hasLowCardinalityKeyValue("task", "add")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasHighCardinalityKeyValue("execution.id", claim.id().toString())
					.isInstanceOf(ExecutionObservationContext.class);
			});
	}

}
