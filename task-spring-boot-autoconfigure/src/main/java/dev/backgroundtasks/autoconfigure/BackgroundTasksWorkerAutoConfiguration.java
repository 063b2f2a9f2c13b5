package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Mode;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.ProgressStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ClusterWakeUp;
import dev.backgroundtasks.support.EngineThreads;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.NodeName;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.worker.AttemptContexts;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.CompletionBatcher;
import dev.backgroundtasks.worker.ExecutionRunner;
import dev.backgroundtasks.worker.ImmediateDispatcher;
import dev.backgroundtasks.worker.NodeHeartbeat;
import dev.backgroundtasks.worker.RetentionCleaner;
import dev.backgroundtasks.worker.StatisticsRecorder;
import dev.backgroundtasks.worker.TaskWorker;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for running executions on this node: the runner and the supervision of attempts
 * (leases, timeouts, cancel requests), the node's heartbeat, retention, the per-minute statistics of the
 * attempts that end here, and, where {@code background-tasks.worker.enabled} (the default) and
 * executions are queued, the worker that claims them and the batcher that records their successes. In
 * {@code immediate} mode submissions run in the caller's thread instead.
 */
@AutoConfiguration(after = BackgroundTasksAutoConfiguration.class)
@ConditionalOnBean(ExecutionCommands.class)
public final class BackgroundTasksWorkerAutoConfiguration {

	@Bean
	AttemptContexts attemptContexts(ProgressStore store, ExecutionEventPublisher events, JsonMapper mapper,
			BackgroundTasksProperties properties) {
		return new AttemptContexts(store, events, mapper, properties.getWorker().getProgressInterval());
	}

	@Bean
	AttemptSupervisor attemptSupervisor(BackgroundTasksProperties properties, ExecutionStore store,
			WorkSignal signal, NodeName node, ObjectProvider<ExecutionObserver> observers) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		return new AttemptSupervisor(store, signal, node.value(), worker.getLeaseTime(),
				worker.getHeartbeatInterval(), worker.getCancelCheckInterval(),
				BackgroundTasksAutoConfiguration.observer(observers));
	}

	@Bean
	ExecutionRunner executionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionWaiters waiters, AttemptSupervisor supervisor, JsonMapper mapper, AttemptContexts contexts,
			ObjectProvider<CompletionBatcher> completions, ObjectProvider<ExecutionObserver> observers) {
		return new ExecutionRunner(registry, binder, store, waiters, supervisor, mapper,
				BackgroundTasksAutoConfiguration.observer(observers), contexts, completions.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionDispatcher executionDispatcher(BackgroundTasksProperties properties, ExecutionRunner runner,
			ExecutionStore store, AttemptSupervisor supervisor, WorkSignal signal, ObjectProvider<TaskWorker> worker) {
		if (properties.getMode() == Mode.IMMEDIATE) {
			return new ImmediateDispatcher(runner, store, supervisor);
		}
		return ExecutionDispatcher.queue(signal, SingletonSupplier.of(worker::getIfAvailable));
	}

	@Bean
	@ConditionalOnMissingBean
	EngineThreads backgroundTasksEngineThreads() {
		return new EngineThreads();
	}

	@Bean
	@ConditionalOnMissingBean
	NodeHeartbeat backgroundTasksNodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor,
			BackgroundTasksProperties properties, ListableBeanFactory beans, DefaultTaskRegistry registry,
			EngineThreads engineThreads) {
		boolean working = properties.getWorker().isEnabled() && properties.getMode() == Mode.QUEUE;
		// Every registered task, enabled or not: a disabled task is known, and runs here once enabled.
		Supplier<@Nullable Collection<String>> tasks = working
				? () -> registry.definitions().stream().map(TaskDefinition::name).toList() : () -> null;
		return new NodeHeartbeat(store, supervisor, properties.getWorker().getHeartbeatInterval(),
				working ? properties.getWorker().getConcurrency() : 0, SingletonSupplier.of(() -> roles(beans)), tasks,
				engineThreads);
	}

	/**
	 * What this node does, told by the beans it has, by name: the web classes may not be on the class path.
	 */
	private static String roles(ListableBeanFactory beans) {
		Map<String, String> roles = new LinkedHashMap<>();
		roles.put("taskWorker", "worker");
		roles.put("backgroundTaskScheduler", "scheduler");
		roles.put("taskQueryController", "api");
		roles.put("backgroundTasksDashboardView", "dashboard");
		return roles.entrySet()
			.stream()
			.filter((role) -> beans.containsBean(role.getKey()))
			.map(Map.Entry::getValue)
			.collect(Collectors.joining(","));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	TaskWorker taskWorker(BackgroundTasksProperties properties, ExecutionStore store, ExecutionRunner runner,
			WorkSignal signal, AttemptSupervisor supervisor, ObjectProvider<ClusterWakeUp> clusterWakeUp) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		// Other nodes' submissions wake this one only through a cluster wake-up (LISTEN/NOTIFY); without
		// one, it looks again soon while work is arriving.
		Duration minPollInterval = (clusterWakeUp.getIfUnique() != null) ? worker.getPollInterval()
				: worker.getMinPollInterval();
		return new TaskWorker(store, runner, signal, supervisor, worker.getConcurrency(), worker.getPrefetch(),
				minPollInterval, worker.getPollInterval(), worker.getShutdownTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	CompletionBatcher completionBatcher(BackgroundTasksProperties properties, ExecutionStore store,
			ExecutionWaiters waiters, AttemptSupervisor supervisor) {
		return new CompletionBatcher(store, waiters, supervisor, properties.getWorker().getCompletionBatchSize());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.statistics.enabled", matchIfMissing = true)
	StatisticsRecorder backgroundTasksStatisticsRecorder(JdbcStatsStore store, NodeName node,
			BackgroundTasksProperties properties) {
		BackgroundTasksProperties.Statistics statistics = properties.getStatistics();
		return new StatisticsRecorder(store, node.value(), statistics.getFlushInterval(), statistics.getRetention());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.retention.enabled", matchIfMissing = true)
	RetentionCleaner retentionCleaner(BackgroundTasksProperties properties, ExecutionStore store) {
		BackgroundTasksProperties.Retention retention = properties.getRetention();
		return new RetentionCleaner(store,
				Map.of(TaskStatus.SUCCESSFUL, retention.getSuccessful(), TaskStatus.FAILED, retention.getFailed(),
						TaskStatus.CANCELLED, retention.getFailed()),
				retention.getBatchSize(), retention.getInterval());
	}

}
