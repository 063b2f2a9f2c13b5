package dev.backgroundtasks.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Mode;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.event.EventPublishingExecutionStore;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.ProgressStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ClusterWakeUp;
import dev.backgroundtasks.support.DedicatedConnections;
import dev.backgroundtasks.support.DedicatedDataSource;
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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
import org.springframework.util.ClassUtils;
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

	private static final Log logger = LogFactory.getLog(BackgroundTasksWorkerAutoConfiguration.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			BackgroundTasksWorkerAutoConfiguration.class.getClassLoader());

	/**
	 * Connections the engine itself may hold beside the task threads: a claim and a batch of results.
	 */
	private static final int ENGINE_CONNECTIONS = 2;

	private static final Duration MIN_LEASE_NETWORK_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	AttemptContexts attemptContexts(ProgressStore store, ExecutionEventPublisher events, JsonMapper mapper,
			BackgroundTasksProperties properties) {
		return new AttemptContexts(store, events, mapper, properties.getWorker().getProgressInterval());
	}

	@Bean
	AttemptSupervisor attemptSupervisor(BackgroundTasksProperties properties, ExecutionStore store,
			WorkSignal signal, NodeName node, ObjectProvider<ExecutionObserver> observers, DataSource dataSource,
			DatabaseDialect dialect, ExecutionEventPublisher events, ObjectProvider<ExecutionQueries> queries,
			EngineThreads engineThreads, ObjectProvider<ExecutionDispatcher> dispatcher) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		DedicatedConnections connections = new DedicatedConnections(dataSource, "bgt-leases-" + node.value());
		ExecutionStore leaseStore = store;
		Runnable onFailure = () -> {
		};
		Runnable onStop = () -> {
		};
		if (store instanceof EventPublishingExecutionStore && connections.isOutsidePool()) {
			// The heartbeat never waits behind tasks for a pooled connection: a connection of its own, which
			// fails within the network timeout when its path dies silently.
			DedicatedDataSource leaseDataSource = new DedicatedDataSource(connections,
					max(worker.getHeartbeatInterval().multipliedBy(2), MIN_LEASE_NETWORK_TIMEOUT));
			// The lease work never claims or submits: no limited claims, no caller's transactions.
			leaseStore = BackgroundTasksAutoConfiguration.executionStore(leaseDataSource,
					BackgroundTasksAutoConfiguration.ownTransactions(leaseDataSource), dialect, events, queries,
					() -> false, signal::wakeAll, BackgroundTasksAutoConfiguration.batchCallbacks(dispatcher, observers));
			onFailure = leaseDataSource::resetConnection;
			onStop = leaseDataSource::destroy;
		}
		else {
			logger.info("The lease work of background tasks (heartbeat, recovery) uses the application's connection"
					+ " pool: it cannot open connections outside it");
		}
		AttemptSupervisor supervisor = new AttemptSupervisor(leaseStore, onFailure, onStop, signal, node.value(),
				worker.getLeaseTime(), worker.getHeartbeatInterval(), worker.getCancelCheckInterval(),
				worker.getStuckGrace(), BackgroundTasksAutoConfiguration.observer(observers));
		for (String thread : List.of("bgt-leases", "bgt-watchdog")) {
			engineThreads.register(thread, () -> !supervisor.deadThreads().contains(thread));
		}
		return supervisor;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	@Bean
	ExecutionRunner executionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionWaiters waiters, AttemptSupervisor supervisor, JsonMapper mapper, AttemptContexts contexts,
			ObjectProvider<CompletionBatcher> completions, ObjectProvider<ExecutionObserver> observers,
			BackgroundTasksProperties properties) {
		return new ExecutionRunner(registry, binder, store, waiters, supervisor, mapper,
				BackgroundTasksAutoConfiguration.observer(observers), contexts, completions.getIfAvailable(),
				properties.getWorker().getUnboundParamsGrace());
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
			WorkSignal signal, AttemptSupervisor supervisor, ObjectProvider<ClusterWakeUp> clusterWakeUp,
			DefaultTaskRegistry registry, DataSource dataSource, EngineThreads engineThreads) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		warnWhenPoolTooSmall(dataSource, worker.getConcurrency());
		// Other nodes' submissions wake this one only through a cluster wake-up (LISTEN/NOTIFY); without
		// one, it looks again soon while work is arriving.
		Duration minPollInterval = (clusterWakeUp.getIfUnique() != null) ? worker.getPollInterval()
				: worker.getMinPollInterval();
		TaskWorker taskWorker = new TaskWorker(store, runner, signal, supervisor, registry::names,
				worker.getConcurrency(), worker.getPrefetch(), minPollInterval, worker.getPollInterval(),
				worker.getShutdownTimeout());
		engineThreads.register("bgt-dispatcher", () -> taskWorker.deadThreads().isEmpty());
		return taskWorker;
	}

	/**
	 * Warns when the Hikari pool cannot give every worker thread a connection and still serve the
	 * dispatcher's claims and the completion writer: tasks that use the database would then make the
	 * engine wait for connections.
	 */
	static void warnWhenPoolTooSmall(DataSource dataSource, int concurrency) {
		if (!HIKARI_PRESENT) {
			return;
		}
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				int poolSize = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
				int needed = concurrency + ENGINE_CONNECTIONS;
				if (poolSize < needed) {
					logger.warn("The connection pool holds at most " + poolSize + " connections, fewer than the "
							+ needed + " background tasks may use at once (background-tasks.worker.concurrency="
							+ concurrency + " task threads, plus " + ENGINE_CONNECTIONS + " for claims and results):"
							+ " tasks that use the database will make claims and results wait. Set "
							+ "spring.datasource.hikari.maximum-pool-size to at least " + needed + ". Leases do not"
							+ " depend on the pool: their heartbeat has a connection of its own.");
				}
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not read the size of the connection pool", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	CompletionBatcher completionBatcher(BackgroundTasksProperties properties, ExecutionStore store,
			ExecutionWaiters waiters, AttemptSupervisor supervisor, EngineThreads engineThreads) {
		CompletionBatcher batcher = new CompletionBatcher(store, waiters, supervisor,
				properties.getWorker().getCompletionBatchSize(), properties.getWorker().getShutdownTimeout());
		engineThreads.register("bgt-completions", () -> !batcher.isDead());
		return batcher;
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
