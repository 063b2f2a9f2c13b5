package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.actuate.ExecutionObservationConvention;
import dev.backgroundtasks.actuate.ObservationExecutionObserver;
import dev.backgroundtasks.command.ExecutionCommands;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration for the observation of every attempt of a background task
 * ({@code background.tasks.attempt}), which tracing turns into a span that continues the trace the
 * execution was submitted in. On when a Micrometer Tracing {@code Tracer} is present, or with
 * {@code background-tasks.observation.enabled=true}; {@code false} turns it off.
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, ExecutionCommands.class })
@Conditional(BackgroundTasksObservationAutoConfiguration.ObserveAttemptsCondition.class)
public final class BackgroundTasksObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationExecutionObserver backgroundTasksObservationExecutionObserver(ObservationRegistry registry,
			ObjectProvider<ExecutionObservationConvention> convention) {
		return new ObservationExecutionObserver(registry, convention.getIfUnique());
	}

	/**
	 * Attempts are observed when asked to, or by default when there is a tracer to make spans of them.
	 */
	static final class ObserveAttemptsCondition extends AnyNestedCondition {

		ObserveAttemptsCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = "background-tasks.observation.enabled", havingValue = "true")
		static final class Enabled {

		}

		@ConditionalOnProperty(name = "background-tasks.observation.enabled", havingValue = "true", matchIfMissing = true)
		@ConditionalOnBean(type = "io.micrometer.tracing.Tracer")
		static final class Traced {

		}

	}

}
