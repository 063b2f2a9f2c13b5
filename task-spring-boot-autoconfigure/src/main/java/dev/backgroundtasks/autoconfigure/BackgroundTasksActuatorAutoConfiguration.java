package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.actuate.BackgroundTasksEndpoint;
import dev.backgroundtasks.actuate.BackgroundTasksHealthIndicator;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import dev.backgroundtasks.support.EngineThreads;
import dev.backgroundtasks.support.NodeName;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.NodeHeartbeat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the {@code backgroundtasks} Actuator endpoint and the {@code backgroundTasks}
 * health indicator.
 */
@AutoConfiguration(after = { BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ExecutionCommands.class)
public final class BackgroundTasksActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	BackgroundTasksEndpoint backgroundTasksEndpoint(TaskRegistry registry, ObjectProvider<TaskInfoEnricher> enricher,
			ExecutionStatistics statistics, JdbcNodeStore nodes, NodeHeartbeat heartbeat) {
		return new BackgroundTasksEndpoint(registry, enricher.getIfAvailable(), statistics, nodes,
				heartbeat.liveWithin());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("backgroundtasks")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "backgroundTasksHealthIndicator")
		BackgroundTasksHealthIndicator backgroundTasksHealthIndicator(ExecutionStatistics statistics,
				JdbcNodeStore nodes, NodeHeartbeat heartbeat, ObjectProvider<EngineThreads> engineThreads,
				ObjectProvider<AttemptSupervisor> supervisor, NodeName node, BackgroundTasksProperties properties) {
			BackgroundTasksProperties.Health health = properties.getHealth();
			Duration liveWithin = heartbeat.liveWithin();
			return new BackgroundTasksHealthIndicator(statistics, () -> nodes.liveWorkers(liveWithin),
					engineThreads.getIfAvailable(), () -> stuckAttempts(supervisor), node.value(),
					health.getMaxReadyAge(), health.getMaxExpiredLeases());
		}

		private static List<String> stuckAttempts(ObjectProvider<AttemptSupervisor> supervisors) {
			AttemptSupervisor supervisor = supervisors.getIfAvailable();
			return (supervisor == null) ? List.of() : supervisor.stuck()
				.stream()
				.map((stuck) -> stuck.id() + " (task " + stuck.task() + ", asked to stop for " + stuck.reason() + " "
						+ stuck.since().toSeconds() + " s ago, thread " + stuck.thread() + ")")
				.toList();
		}

	}

}
