package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.actuate.TracingExecutionObserver;
import dev.backgroundtasks.command.ExecutionCommands;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for trace propagation through background tasks: the trace context current when
 * an execution is submitted is stored with it, so that its attempts continue that trace. Needs a
 * Micrometer Tracing {@link Tracer} and {@link Propagator} (Brave or OpenTelemetry bridge).
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass({ Tracer.class, Propagator.class })
@ConditionalOnBean({ Tracer.class, Propagator.class, ExecutionCommands.class })
public final class BackgroundTasksTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TracingExecutionObserver backgroundTasksTracingExecutionObserver(Tracer tracer, Propagator propagator) {
		return new TracingExecutionObserver(tracer, propagator);
	}

}
