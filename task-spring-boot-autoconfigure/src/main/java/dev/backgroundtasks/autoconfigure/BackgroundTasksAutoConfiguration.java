package dev.backgroundtasks.autoconfigure;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.client.DefaultTaskClient;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.event.EventPublishingExecutionStore;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.event.TaskExecutionListener;
import dev.backgroundtasks.execution.ClockOverride;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.execution.ExecutionEntityRegistrar;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSchemaFilterProvider;
import dev.backgroundtasks.execution.ExecutionSchemaInitializer;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.BatchCallbackListener;
import dev.backgroundtasks.execution.JdbcExecutionStore;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.JdbcProgressStore;
import dev.backgroundtasks.execution.JpaExecutionQueries;
import dev.backgroundtasks.execution.MinuteStatistics;
import dev.backgroundtasks.execution.ProgressStore;
import dev.backgroundtasks.registry.BackgroundTaskAnnotationBeanPostProcessor;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ClusterWakeUp;
import dev.backgroundtasks.support.CurrentPrincipal;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.NodeName;
import dev.backgroundtasks.support.WorkSignal;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for background tasks, the store and the client side: the registry and its
 * annotation scanning, the database (resolved once) with its dialect and migrations, the stores on the
 * application's {@link DataSource}, execution events, and the {@link TaskClient} with the command
 * service behind it. The worker, the PostgreSQL cluster support, the scheduler, the REST API and
 * Actuator each have an auto-configuration of their own.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
		FlywayAutoConfiguration.class, JacksonAutoConfiguration.class, TransactionAutoConfiguration.class })
@ConditionalOnClass({ EntityManagerFactory.class, JsonMapper.class, Flyway.class })
@ConditionalOnBean({ DataSource.class, EntityManagerFactory.class, JsonMapper.class,
		PlatformTransactionManager.class })
@ConditionalOnBooleanProperty(name = "background-tasks.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BackgroundTasksProperties.class)
public final class BackgroundTasksAutoConfiguration {

	private static final Log logger = LogFactory.getLog(BackgroundTasksAutoConfiguration.class);

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
	NodeName backgroundTasksNodeName(BackgroundTasksProperties properties) {
		String configured = properties.getNodeName();
		return (configured != null) ? new NodeName(configured) : NodeName.generate();
	}

	@Bean
	@ConditionalOnMissingBean
	DatabaseKind backgroundTasksDatabaseKind(DataSource dataSource, Environment environment) {
		DatabaseKind database = DatabaseKind.of(dataSource);
		// Beans that exist on one database only were chosen from configuration, before the data source
		// existed: it must agree with the database itself.
		DatabaseKind configured = OnPostgresDatabaseCondition.configured(environment);
		if (configured != null && configured != database) {
			throw new IllegalStateException("Background tasks: configuration names " + configured + " ("
					+ OnPostgresDatabaseCondition.PLATFORM + " or spring.datasource.url), but the DataSource is "
					+ database + "; set " + OnPostgresDatabaseCondition.PLATFORM + "=" + database.name()
						.toLowerCase(Locale.ROOT));
		}
		if (configured == null && database == DatabaseKind.POSTGRESQL) {
			logger.warn("Background tasks run on PostgreSQL, but configuration does not say so (no "
					+ "spring.datasource.url): other nodes are woken by polling only and the event stream shows "
					+ "this node's executions only. Set " + OnPostgresDatabaseCondition.PLATFORM
					+ "=postgresql to use LISTEN/NOTIFY.");
		}
		if (database == DatabaseKind.MARIADB) {
			logger.info("Background tasks run on MariaDB: other nodes notice new work by polling (every "
					+ "background-tasks.worker.min-poll-interval while work arrives, up to poll-interval when idle), "
					+ "and the event stream shows the state changes made on this node only.");
		}
		return database;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.database.migrate", matchIfMissing = true)
	ExecutionSchemaInitializer executionSchemaInitializer(DataSource dataSource, DatabaseKind database) {
		return new ExecutionSchemaInitializer(dataSource, database);
	}

	@Bean
	@ConditionalOnMissingBean
	DatabaseDialect executionStoreDialect(DatabaseKind database, DataSource dataSource,
			ObjectProvider<ClockOverride> clockOverride) {
		// A clock override exists in tests only (the test kit's clock): production statements are unchanged.
		return DatabaseDialect.of(database, ownTransactions(dataSource), clockOverride.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStore executionStore(DataSource dataSource, DatabaseDialect dialect,
			PlatformTransactionManager transactionManager, ExecutionEventPublisher events,
			ObjectProvider<ExecutionQueries> queries, DefaultTaskRegistry registry, ObjectProvider<WorkSignal> signal,
			ObjectProvider<ExecutionDispatcher> dispatcher, ObjectProvider<ExecutionObserver> observers) {
		return executionStore(dataSource, new TransactionTemplate(transactionManager), dialect, events, queries,
				registry::hasConcurrencyLimits, () -> signal.ifAvailable(WorkSignal::wakeAll),
				batchCallbacks(dispatcher, observers));
	}

	/**
	 * What follows the storing of a batch's callback, which no submission stores: counted as submitted, and
	 * dispatched as a submission is (woken after commit, or run at once in {@code immediate} mode).
	 */
	static BatchCallbackListener batchCallbacks(ObjectProvider<ExecutionDispatcher> dispatcher,
			ObjectProvider<ExecutionObserver> observers) {
		Supplier<ExecutionObserver> observer = SingletonSupplier.of(() -> observer(observers));
		return (callback) -> {
			observer.get().submitted(callback.task(), callback.trigger());
			ExecutionDispatcher found = dispatcher.getIfAvailable();
			if (found != null) {
				found.dispatch(callback.id());
			}
		};
	}

	/**
	 * The store on a data source, publishing the events of its state changes.
	 * @param dataSource the data source
	 * @param transactions the transactions a batch submit joins
	 * @param dialect the database's dialect
	 * @param events the event publisher
	 * @param queries finds the task of an execution cancelled by id
	 * @param limitedTasksKnown whether this node knows a task with a concurrency limit
	 * @param readyReleased wakes the workers when waiting executions became {@code READY}
	 * @param batchCallbacks what follows the storing of a batch's callback, besides its READY event
	 * @return the store
	 */
	static ExecutionStore executionStore(DataSource dataSource, TransactionOperations transactions,
			DatabaseDialect dialect, ExecutionEventPublisher events, ObjectProvider<ExecutionQueries> queries,
			BooleanSupplier limitedTasksKnown, Runnable readyReleased, BatchCallbackListener batchCallbacks) {
		BatchCallbackListener ready = EventPublishingExecutionStore.publishingReady(events);
		JdbcExecutionStore store = new JdbcExecutionStore(dialect.jdbcTemplate(dataSource), dialect, transactions,
				dialect.ownTransactions(ownTransactions(dataSource)), limitedTasksKnown, (callback) -> {
					ready.callbackStored(callback);
					batchCallbacks.callbackStored(callback);
				});
		return new EventPublishingExecutionStore(store, events,
				(id) -> queries.getObject().find(id).map(Execution::task).orElse(null), readyReleased);
	}

	@Bean
	ExecutionEventPublisher executionEventPublisher(ApplicationEventPublisher applicationEvents,
			ObjectProvider<TaskExecutionListener> listeners, ObjectProvider<ExecutionQueries> queries,
			ObjectProvider<ExecutionEventSink> sinks, BackgroundTasksProperties properties) {
		return new ExecutionEventPublisher(applicationEvents,
				SingletonSupplier.of(() -> listeners.orderedStream().toList()), (ids) -> queries.getObject().findAll(ids),
				SingletonSupplier.of(() -> sinks.orderedStream().toList()), properties.getEvents().getQueueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	ProgressStore progressStore(DataSource dataSource, DatabaseDialect dialect) {
		return new JdbcProgressStore(dialect.jdbcTemplate(dataSource));
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
	WorkSignal backgroundTasksWorkSignal(ObjectProvider<ClusterWakeUp> clusterWakeUp) {
		ClusterWakeUp others = clusterWakeUp.getIfUnique();
		return (others != null) ? new WorkSignal(others::request) : new WorkSignal();
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStatistics executionStatistics(DataSource dataSource, DatabaseDialect dialect) {
		return new ExecutionStatistics(dialect.jdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcNodeStore backgroundTasksNodeStore(DataSource dataSource, DatabaseDialect dialect) {
		return new JdbcNodeStore(dialect.jdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	MinuteStatistics backgroundTasksMinuteStatistics(DataSource dataSource, DatabaseDialect dialect) {
		return new MinuteStatistics(dialect.jdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	JdbcStatsStore backgroundTasksStatsStore(DataSource dataSource, DatabaseDialect dialect) {
		return new JdbcStatsStore(dialect.jdbcTemplate(dataSource), dialect,
				dialect.ownTransactions(ownTransactions(dataSource)));
	}

	@Bean
	ExecutionCommands executionCommands(BackgroundTasksProperties properties, DefaultTaskRegistry registry,
			TaskParameterBinder binder, ExecutionStore store, ExecutionQueries queries, ExecutionDispatcher dispatcher,
			JsonMapper mapper, ObjectProvider<TaskEnablement> enablement, ObjectProvider<ExecutionObserver> observers) {
		return new ExecutionCommands(registry, binder, store, queries, dispatcher, properties.getQueue().getCapacity(),
				mapper, enablement.getIfAvailable(), observer(observers),
				CurrentPrincipal.detect(BackgroundTasksAutoConfiguration.class.getClassLoader()),
				properties.getQueue().getMaxBatchSize());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskClient taskClient(ExecutionCommands commands, ExecutionQueries queries, ExecutionWaiters waiters,
			DefaultTaskRegistry registry, TaskParameterBinder binder, JsonMapper mapper) {
		return new DefaultTaskClient(commands, queries, waiters, registry, binder, mapper);
	}

	/**
	 * The observers contributed by the observability auto-configurations, or none.
	 */
	static ExecutionObserver observer(ObjectProvider<ExecutionObserver> observers) {
		return ExecutionObserver.composite(observers.orderedStream().toList());
	}

	/**
	 * Transactions the engine starts for itself on its own threads (claims, completions, lease recovery),
	 * never inside the application's: plain JDBC ones, so no ORM session is opened for each.
	 */
	static TransactionTemplate ownTransactions(DataSource dataSource) {
		return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

}
