package dev.backgroundtasks.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import javax.sql.DataSource;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Mode;
import dev.backgroundtasks.client.DefaultTaskClient;
import dev.backgroundtasks.client.ExecutionCommands;
import dev.backgroundtasks.execution.ClaimQuery;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.execution.ExecutionEntityRegistrar;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSchemaFilterProvider;
import dev.backgroundtasks.execution.ExecutionSchemaInitializer;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.ExecutionWaiters;
import dev.backgroundtasks.execution.JdbcExecutionStore;
import dev.backgroundtasks.execution.JpaExecutionQueries;
import dev.backgroundtasks.execution.PostgresClaimQuery;
import dev.backgroundtasks.execution.SelectForUpdateClaimQuery;
import dev.backgroundtasks.registry.BackgroundTaskAnnotationBeanPostProcessor;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.schedule.TaskEnablement;
import dev.backgroundtasks.worker.ExecutionDispatcher;
import dev.backgroundtasks.worker.ExecutionRunner;
import dev.backgroundtasks.worker.TaskWorker;
import dev.backgroundtasks.worker.WorkSignal;
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
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
	DefaultTaskRegistry backgroundTaskRegistry() {
		return new DefaultTaskRegistry();
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
	ClaimQuery executionClaimQuery(DataSource dataSource, PlatformTransactionManager transactionManager) {
		return switch (DatabaseKind.of(dataSource)) {
			case POSTGRESQL -> new PostgresClaimQuery();
			case H2 -> new SelectForUpdateClaimQuery(new TransactionTemplate(transactionManager));
		};
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStore executionStore(DataSource dataSource, ClaimQuery claimQuery) {
		return new JdbcExecutionStore(new JdbcTemplate(dataSource), claimQuery);
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
	ExecutionRunner executionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionWaiters waiters, JsonMapper mapper) {
		return new ExecutionRunner(registry, binder, store, waiters, mapper);
	}

	@Bean
	ExecutionCommands executionCommands(BackgroundTasksProperties properties, DefaultTaskRegistry registry,
			TaskParameterBinder binder, ExecutionStore store, ExecutionRunner runner, WorkSignal signal,
			JsonMapper mapper, ObjectProvider<TaskEnablement> enablement) {
		ExecutionDispatcher dispatcher = (properties.getMode() == Mode.IMMEDIATE)
				? ExecutionDispatcher.immediate(runner, store, nodeName(properties))
				: ExecutionDispatcher.queue(signal);
		return new ExecutionCommands(registry, binder, store, dispatcher, mapper, enablement.getIfAvailable());
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
			WorkSignal signal) {
		BackgroundTasksProperties.Worker worker = properties.getWorker();
		return new TaskWorker(store, runner, signal, nodeName(properties), worker.getConcurrency(),
				worker.getPollInterval(), worker.getShutdownTimeout());
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
