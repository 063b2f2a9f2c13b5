package dev.backgroundtasks.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Mode;
import dev.backgroundtasks.client.DefaultTaskClient;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.event.ClusterEventCodec;
import dev.backgroundtasks.event.EventPublishingExecutionStore;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.event.TaskExecutionListener;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.execution.ExecutionEntityRegistrar;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSchemaFilterProvider;
import dev.backgroundtasks.execution.ExecutionSchemaInitializer;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.H2StoreDialect;
import dev.backgroundtasks.execution.JdbcExecutionStore;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.JdbcProgressStore;
import dev.backgroundtasks.execution.JpaExecutionQueries;
import dev.backgroundtasks.execution.PostgresStoreDialect;
import dev.backgroundtasks.execution.ProgressStore;
import dev.backgroundtasks.execution.StoreDialect;
import dev.backgroundtasks.postgres.PostgresEventNotifier;
import dev.backgroundtasks.postgres.PostgresEventRelay;
import dev.backgroundtasks.postgres.PostgresListenerConnections;
import dev.backgroundtasks.postgres.PostgresReadyNotifier;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.postgres.PostgresStreamInterestListener;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import dev.backgroundtasks.registry.BackgroundTaskAnnotationBeanPostProcessor;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.worker.AttemptContexts;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.CompletionBatcher;
import dev.backgroundtasks.worker.ExecutionRunner;
import dev.backgroundtasks.worker.ImmediateDispatcher;
import dev.backgroundtasks.worker.NodeHeartbeat;
import dev.backgroundtasks.worker.RetentionCleaner;
import dev.backgroundtasks.worker.TaskWorker;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;
import org.hibernate.cfg.SchemaToolingSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for background tasks: the registry and its annotation scanning, the execution
 * store on the application's {@link DataSource}, the {@link TaskClient} and the worker.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
		FlywayAutoConfiguration.class, JacksonAutoConfiguration.class, TransactionAutoConfiguration.class })
@ConditionalOnClass({ EntityManagerFactory.class, JsonMapper.class, Flyway.class })
@ConditionalOnBean({ DataSource.class, EntityManagerFactory.class, JsonMapper.class,
		PlatformTransactionManager.class })
@ConditionalOnBooleanProperty(name = "background-tasks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BackgroundTasksProperties.class)
public final class BackgroundTasksAutoConfiguration {

	@Bean
	static BackgroundTaskAnnotationBeanPostProcessor backgroundTaskAnnotationBeanPostProcessor() {
		return new BackgroundTaskAnnotationBeanPostProcessor();
	}

	@Bean
	static ExecutionEntityRegistrar backgroundTasksExecutionEntityRegistrar() {
		return new ExecutionEntityRegistrar();
	}

	@Bean
	HibernatePropertiesCustomizer backgroundTasksSchemaFilter() {
		return (properties) -> properties.putIfAbsent(SchemaToolingSettings.HBM2DDL_FILTER_PROVIDER,
				new ExecutionSchemaFilterProvider());
	}

	@Bean
	DefaultTaskRegistry backgroundTaskRegistry(BackgroundTasksProperties properties, Environment environment) {
		return new DefaultTaskRegistry(
				new PropertiesExecutionPolicyResolver(properties, EnvironmentTaskSettings.read(environment)));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskParameterBinder taskParameterBinder(JsonMapper mapper) {
		return new TaskParameterBinder(mapper);
	}

	@Bean
	SmartInitializingSingleton backgroundTaskDefaultsCheck(DefaultTaskRegistry registry, TaskParameterBinder binder) {
		return () -> registry.tasks()
			.forEach((task) -> registry.definition(task.name()).ifPresent(binder::checkDefaults));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.database.migrate", matchIfMissing = true)
	ExecutionSchemaInitializer executionSchemaInitializer(DataSource dataSource) {
		return new ExecutionSchemaInitializer(dataSource);
	}

	@Bean
	@ConditionalOnMissingBean
	StoreDialect executionStoreDialect(DataSource dataSource) {
		return switch (DatabaseKind.of(dataSource)) {
			case POSTGRESQL -> new PostgresStoreDialect();
			case H2 -> new H2StoreDialect(ownTransactions(dataSource));
		};
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStore executionStore(DataSource dataSource, StoreDialect dialect,
			PlatformTransactionManager transactionManager, ExecutionEventPublisher events,
			ObjectProvider<ExecutionQueries> queries, DefaultTaskRegistry registry) {
		JdbcExecutionStore store = new JdbcExecutionStore(new JdbcTemplate(dataSource), dialect,
				new TransactionTemplate(transactionManager), ownTransactions(dataSource));
		store.setLimitedTasksKnown(registry::hasConcurrencyLimits);
		return new EventPublishingExecutionStore(store, events,
				(id) -> queries.getObject().find(id).map(Execution::task).orElse(null));
	}

	@Bean
	ExecutionEventPublisher executionEventPublisher(ApplicationEventPublisher applicationEvents,
			ObjectProvider<TaskExecutionListener> listeners, ObjectProvider<ExecutionQueries> queries,
			ObjectProvider<ExecutionEventSink> sinks) {
		return new ExecutionEventPublisher(applicationEvents,
				SingletonSupplier.of(() -> listeners.orderedStream().toList()), (id) -> queries.getObject().find(id),
				SingletonSupplier.of(() -> sinks.orderedStream().toList()));
	}

	@Bean
	@ConditionalOnMissingBean
	ProgressStore progressStore(DataSource dataSource) {
		return new JdbcProgressStore(new JdbcTemplate(dataSource));
	}

	@Bean
	AttemptContexts attemptContexts(ProgressStore store, ExecutionEventPublisher events, JsonMapper mapper,
			BackgroundTasksProperties properties) {
		return new AttemptContexts(store, events, mapper, properties.getWorker().getProgressInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionQueries executionQueries(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, JsonMapper mapper) {
		TransactionTemplate readOnly = new TransactionTemplate(transactionManager);
		readOnly.setReadOnly(true);
		return new JpaExecutionQueries(SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
				readOnly, mapper);
	}

	@Bean
	ExecutionWaiters executionWaiters(ExecutionQueries queries) {
		return new ExecutionWaiters(queries);
	}

	@Bean
	WorkSignal backgroundTasksWorkSignal() {
		return new WorkSignal();
	}

	@Bean
	AttemptSupervisor attemptSupervisor(BackgroundTasksProperties properties, ExecutionStore store,
			WorkSignal signal, ObjectProvider<ExecutionObserver> observers) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		return new AttemptSupervisor(store, signal, nodeName(properties), worker.getLeaseTime(),
				worker.getHeartbeatInterval(), worker.getCancelCheckInterval(), observer(observers));
	}

	@Bean
	ExecutionRunner executionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionWaiters waiters, AttemptSupervisor supervisor, JsonMapper mapper, AttemptContexts contexts,
			ObjectProvider<CompletionBatcher> completions, ObjectProvider<ExecutionObserver> observers) {
		ExecutionRunner runner = new ExecutionRunner(registry, binder, store, waiters, supervisor, mapper,
				observer(observers), contexts);
		runner.setCompletionBatcher(completions.getIfAvailable());
		return runner;
	}

	@Bean
	ExecutionCommands executionCommands(BackgroundTasksProperties properties, DefaultTaskRegistry registry,
			TaskParameterBinder binder, ExecutionStore store, ExecutionQueries queries, ExecutionRunner runner,
			AttemptSupervisor supervisor, WorkSignal signal, JsonMapper mapper, ObjectProvider<TaskEnablement> enablement,
			ObjectProvider<ExecutionObserver> observers, ObjectProvider<TaskWorker> worker) {
		ExecutionDispatcher dispatcher = (properties.getMode() == Mode.IMMEDIATE)
				? new ImmediateDispatcher(runner, store, supervisor)
				: ExecutionDispatcher.queue(signal, SingletonSupplier.of(worker::getIfAvailable));
		return new ExecutionCommands(registry, binder, store, queries, dispatcher,
				properties.getQueue().getCapacity(), mapper, enablement.getIfAvailable(), observer(observers));
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStatistics executionStatistics(DataSource dataSource) {
		return new ExecutionStatistics(new JdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcNodeStore backgroundTasksNodeStore(DataSource dataSource) {
		return new JdbcNodeStore(new JdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	NodeHeartbeat backgroundTasksNodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor,
			BackgroundTasksProperties properties) {
		return new NodeHeartbeat(store, supervisor, properties.getWorker().getHeartbeatInterval());
	}

	/**
	 * The observers contributed by the observability auto-configurations, or none.
	 */
	static ExecutionObserver observer(ObjectProvider<ExecutionObserver> observers) {
		return ExecutionObserver.composite(observers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskClient taskClient(ExecutionCommands commands, ExecutionQueries queries, ExecutionWaiters waiters,
			DefaultTaskRegistry registry, TaskParameterBinder binder, JsonMapper mapper) {
		return new DefaultTaskClient(commands, queries, waiters, registry, binder, mapper);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	TaskWorker taskWorker(BackgroundTasksProperties properties, ExecutionStore store, ExecutionRunner runner,
			WorkSignal signal, AttemptSupervisor supervisor) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		return new TaskWorker(store, runner, signal, supervisor, worker.getConcurrency(), worker.getPrefetch(),
				worker.getPollInterval(), worker.getShutdownTimeout());
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
	@ConditionalOnBooleanProperty(name = "background-tasks.retention.enabled", matchIfMissing = true)
	RetentionCleaner retentionCleaner(BackgroundTasksProperties properties, ExecutionStore store) {
		BackgroundTasksProperties.Retention retention = properties.getRetention();
		return new RetentionCleaner(store,
				Map.of(TaskStatus.SUCCESSFUL, retention.getSuccessful(), TaskStatus.FAILED, retention.getFailed(),
						TaskStatus.CANCELLED, retention.getFailed()),
				retention.getBatchSize(), retention.getInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.postgresql.PGConnection")
	@ConditionalOnBooleanProperty(name = "background-tasks.worker.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	static class PostgresWakeUpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresWakeUpListener postgresWakeUpListener(DataSource dataSource, WorkSignal signal,
				BackgroundTasksProperties properties, ObjectProvider<PostgresStreamInterest> interest) {
			PostgresWakeUpListener listener = new PostgresWakeUpListener(
					DatabaseKind.of(dataSource) == DatabaseKind.POSTGRESQL,
					new PostgresListenerConnections(dataSource, "bgt-listener " + nodeName(properties)), signal,
					nodeName(properties), Duration.ofSeconds(1));
			// The same connection hears whether any node streams events, so this node sends them only then.
			interest.ifAvailable(listener::alsoListen);
			return listener;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.postgresql.PGConnection")
	static class PostgresReadyNotifierConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresReadyNotifier postgresReadyNotifier(DataSource dataSource, WorkSignal signal,
				BackgroundTasksProperties properties) {
			boolean postgres = DatabaseKind.of(dataSource) == DatabaseKind.POSTGRESQL;
			PostgresReadyNotifier notifier = new PostgresReadyNotifier(postgres, new JdbcTemplate(dataSource),
					nodeName(properties));
			if (postgres) {
				signal.setClusterWake(notifier::request);
			}
			return notifier;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.postgresql.PGConnection")
	static class PostgresEventsConfiguration {

		@Bean
		PostgresStreamInterest postgresStreamInterest(DataSource dataSource, BackgroundTasksProperties properties) {
			return new PostgresStreamInterest(new JdbcTemplate(dataSource), nodeName(properties));
		}

		@Bean
		PostgresStreamInterestListener postgresStreamInterestListener(DataSource dataSource,
				PostgresStreamInterest interest, BackgroundTasksProperties properties,
				ObjectProvider<PostgresWakeUpListener> wakeUps, ObjectProvider<PostgresEventRelay> relays) {
			return new PostgresStreamInterestListener(DatabaseKind.of(dataSource) == DatabaseKind.POSTGRESQL,
					new PostgresListenerConnections(dataSource, "bgt-stream-interest " + nodeName(properties)), interest,
					Duration.ofSeconds(1), () -> wakeUps.getIfAvailable() == null && relays.getIfAvailable() == null);
		}

		@Bean
		ExecutionEventSink postgresExecutionEventNotifier(DataSource dataSource, JsonMapper mapper,
				PostgresStreamInterest interest) {
			if (DatabaseKind.of(dataSource) != DatabaseKind.POSTGRESQL) {
				return (events) -> {
				};
			}
			return new PostgresEventNotifier(new JdbcTemplate(dataSource), new ClusterEventCodec(mapper), interest);
		}

	}

	/**
	 * Transactions the engine starts for itself on its own threads (claims, completions, lease recovery),
	 * never inside the application's: plain JDBC ones, so no ORM session is opened for each.
	 */
	private static TransactionTemplate ownTransactions(DataSource dataSource) {
		return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	private static String nodeName(BackgroundTasksProperties properties) {
		if (properties.getNodeName() == null) {
			properties.setNodeName(hostName() + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
					+ UUID.randomUUID().toString().substring(0, 8));
		}
		return properties.getNodeName();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
