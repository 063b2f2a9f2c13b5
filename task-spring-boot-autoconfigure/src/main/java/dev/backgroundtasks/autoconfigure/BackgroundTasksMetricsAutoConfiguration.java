package dev.backgroundtasks.autoconfigure;

import java.time.Duration;

import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.actuate.EventDeliveryMetrics;
import dev.backgroundtasks.actuate.ExecutionMetrics;
import dev.backgroundtasks.actuate.QueueGauges;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.NodeHeartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the Micrometer metrics of background tasks: the meters of submissions,
 * executions, retries, pickup latency and schedule lag, and the gauges of the queue (with the executions
 * no live node can claim) and of the attempts running on this node.
 * executions, retries, pickup latency and schedule lag, the gauges of the queue and of the
 * attempts running on this node, and the meters of event delivery.
 */
@AutoConfiguration(after = { BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ExecutionCommands.class })
public final class BackgroundTasksMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExecutionMetrics backgroundTasksExecutionMetrics(MeterRegistry registry) {
		return new ExecutionMetrics(registry);
	}

	/**
	 * {@code background.tasks.stuck}: attempts on this node that were asked to stop and ignore it.
	 */
	@Bean
	MeterBinder backgroundTasksStuckGauge(AttemptSupervisor supervisor) {
		return (registry) -> Gauge.builder("background.tasks.stuck", supervisor, (watched) -> watched.stuck().size())
			.description("Attempts of background tasks on this node that were asked to stop (timeout, cancel, lost"
					+ " lease, shutdown) and still run: their tasks ignore interrupts")
			.register(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	EventDeliveryMetrics backgroundTasksEventDeliveryMetrics(MeterRegistry registry, ExecutionEventPublisher events) {
		return new EventDeliveryMetrics(registry, events);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueGauges backgroundTasksQueueGauges(MeterRegistry registry, TaskRegistry tasks, ExecutionStatistics statistics,
			JdbcNodeStore nodes, NodeHeartbeat heartbeat, AttemptSupervisor supervisor,
			BackgroundTasksProperties properties) {
		Duration liveWithin = heartbeat.liveWithin();
		return new QueueGauges(registry, tasks, statistics, () -> nodes.liveWorkers(liveWithin),
				supervisor::runningCount, properties.getMetrics().getQueueRefreshInterval());
	}

}
