package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.actuate.ExecutionObservationConvention;
import dev.backgroundtasks.actuate.ObservationExecutionObserver;
import dev.backgroundtasks.client.ExecutionCommands;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the observation of every attempt of a background task
 * ({@code background.tasks.attempt}), which tracing turns into a span that continues the trace the
 * execution was submitted in.
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, ExecutionCommands.class })
public final class BackgroundTasksObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationExecutionObserver backgroundTasksObservationExecutionObserver(ObservationRegistry registry,
			ObjectProvider<ExecutionObservationConvention> convention) {
		return new ObservationExecutionObserver(registry, convention.getIfUnique());
	}

}
