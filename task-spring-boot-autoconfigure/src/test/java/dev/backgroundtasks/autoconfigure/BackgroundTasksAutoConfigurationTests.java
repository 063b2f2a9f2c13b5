package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSchemaInitializer;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.MinuteStatistics;
import dev.backgroundtasks.execution.PostgresDialect;
import dev.backgroundtasks.execution.TaskExecution;
import dev.backgroundtasks.postgres.PostgresReadyNotifier;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.ClusterWakeUp;
import dev.backgroundtasks.support.NodeName;
import dev.backgroundtasks.worker.TaskWorker;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.metamodel.EntityType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksAutoConfiguration}.
 */
class BackgroundTasksAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksPostgresAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void providesTheLibraryByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(TaskClient.class)
			.hasSingleBean(TaskRegistry.class)
			.hasSingleBean(ExecutionStore.class)
			.hasSingleBean(ExecutionQueries.class)
			.hasSingleBean(TaskWorker.class)
			.hasSingleBean(ExecutionSchemaInitializer.class)
			.hasSingleBean(TaskParameterBinder.class)
			.hasSingleBean(DatabaseDialect.class));
	}

	@Test
	void registersAnnotatedTasksOfUserBeans() {
		this.contextRunner.withBean(SampleTasks.class)
			.run((context) -> assertThat(context.getBean(TaskRegistry.class).find("greet")).isPresent());
	}

	@Test
	void badDefaultValueFailsStartUpNamingTheMethod() {
		this.contextRunner.withBean(BadDefaultTasks.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(BadDefaultTasks.class.getName() + "#days(int)")
				.hasMessageContaining("'abc'"));
	}

	@Test
	void partitionByNamingNoParameterFailsStartUpNamingTheMethod() {
		this.contextRunner.withBean(UnknownPartitionTasks.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(UnknownPartitionTasks.class.getName() + "#sync(String)")
				.hasMessageContaining("partitionBy 'customr'")
				.hasMessageContaining("names no parameter"));
	}

	@Test
	void partitionByWithoutConcurrencyOrRateFailsStartUpNamingTheMethod() {
		this.contextRunner.withBean(UnlimitedPartitionTasks.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(UnlimitedPartitionTasks.class.getName() + "#sync(String)")
				.hasMessageContaining("needs a concurrency or a rate"));
	}

	@Test
	void malformedRateFailsStartUpNamingTheMethodAndTheValue() {
		this.contextRunner.withBean(MalformedRateTasks.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(MalformedRateTasks.class.getName() + "#sync(String)")
				.hasMessageContaining("'10 per second'"));
	}

	@Test
	void rateBelowOneFailsStartUpNamingTheMethodAndTheValue() {
		this.contextRunner.withBean(ZeroRateTasks.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(ZeroRateTasks.class.getName() + "#sync(String)")
				.hasMessageContaining("'0/1s'")
				.hasMessageContaining("count must be from 1"));
	}

	@Test
	void malformedRatePropertyFailsStartUpNamingTheProperty() {
		this.contextRunner.withBean(FlowTasks.class)
			.withPropertyValues("background-tasks.tasks.sync.rate=10/fortnight")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("background-tasks.tasks.sync.rate")
				.hasMessageContaining("'fortnight' is not a duration"));
	}

	@Test
	void partitionByPropertyNamingNoParameterFailsStartUpNamingTheSetting() {
		this.contextRunner.withBean(FlowTasks.class)
			.withPropertyValues("background-tasks.tasks.sync.partition-by=region")
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("background-tasks.tasks.sync.partition-by")
				.hasMessageContaining("partitionBy 'region'"));
	}

	@Test
	void flowLimitsFromPropertiesReplaceTheAnnotations() {
		this.contextRunner.withBean(FlowTasks.class)
			.withPropertyValues("background-tasks.tasks.sync.concurrency=3", "background-tasks.tasks.sync.rate=100/1m",
					"background-tasks.tasks.plain.partition-by=customer", "background-tasks.tasks.plain.rate=7/1h",
					"background-tasks.tasks.rated.rate=-")
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				TaskInfo sync = registry.find("sync").orElseThrow();
				assertThat(sync.concurrency()).isEqualTo(3);
				assertThat(sync.partitionBy()).isEqualTo("customer");
				assertThat(sync.rate()).isEqualTo("100/1m");
				TaskInfo plain = registry.find("plain").orElseThrow();
				assertThat(plain.partitionBy()).isEqualTo("customer");
				assertThat(plain.rate()).isEqualTo("7/1h");
				assertThat(plain.concurrency()).isZero();
				assertThat(registry.find("rated").orElseThrow().rate()).isNull();
			});
	}

	@Test
	void flowLimitsFromEnvironmentVariablesReplaceTheAnnotations() {
		this.contextRunner.withBean(FlowTasks.class)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("BACKGROUND_TASKS_TASKS_SYNC_CONCURRENCY", "4", "BACKGROUND_TASKS_TASKS_SYNC_PARTITION_BY",
								"-", "BACKGROUND_TASKS_TASKS_SYNC_RATE", "5000/1h"))))
			.run((context) -> {
				TaskInfo sync = context.getBean(TaskRegistry.class).find("sync").orElseThrow();
				assertThat(sync.concurrency()).isEqualTo(4);
				assertThat(sync.partitionBy()).isNull();
				assertThat(sync.rate()).isEqualTo("5000/1h");
			});
	}

	@Test
	void malformedRateEnvironmentVariableFailsStartUpNamingTheVariable() {
		this.contextRunner.withBean(FlowTasks.class)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("BACKGROUND_TASKS_TASKS_SYNC_RATE", "0/1s"))))
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("BACKGROUND_TASKS_TASKS_SYNC_RATE"));
	}

	@Test
	void backsOffForUserTaskClient() {
		TaskClient client = mock(TaskClient.class);
		this.contextRunner.withBean(TaskClient.class, () -> client)
			.run((context) -> assertThat(context).getBean(TaskClient.class).isSameAs(client));
	}

	@Test
	void backsOffForUserExecutionStore() {
		ExecutionStore store = mock(ExecutionStore.class);
		this.contextRunner.withBean(ExecutionStore.class, () -> store)
			.run((context) -> assertThat(context).getBean(ExecutionStore.class).isSameAs(store));
	}

	@Test
	void backsOffForUserExecutionQueries() {
		ExecutionQueries queries = mock(ExecutionQueries.class);
		this.contextRunner.withBean(ExecutionQueries.class, () -> queries)
			.run((context) -> assertThat(context).getBean(ExecutionQueries.class).isSameAs(queries));
	}

	@Test
	void providesTheStatisticsReadsAndStoreOnEveryNode() {
		this.contextRunner
			.withPropertyValues("background-tasks.worker.enabled=false", "background-tasks.statistics.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ExecutionStatistics.class)
				.hasSingleBean(MinuteStatistics.class)
				.hasSingleBean(JdbcStatsStore.class));
	}

	@Test
	void backsOffForUserStatisticsReadsAndStore() {
		MinuteStatistics reads = mock(MinuteStatistics.class);
		JdbcStatsStore store = mock(JdbcStatsStore.class);
		this.contextRunner.withBean(MinuteStatistics.class, () -> reads)
			.withBean(JdbcStatsStore.class, () -> store)
			.run((context) -> {
				assertThat(context).getBean(MinuteStatistics.class).isSameAs(reads);
				assertThat(context).getBean(JdbcStatsStore.class).isSameAs(store);
			});
	}

	@Test
	void backsOffForUserTaskWorker() {
		TaskWorker worker = mock(TaskWorker.class);
		this.contextRunner.withBean(TaskWorker.class, () -> worker)
			.run((context) -> assertThat(context).getBean(TaskWorker.class).isSameAs(worker));
	}

	@Test
	void backsOffForUserTaskParameterBinder() {
		TaskParameterBinder binder = new TaskParameterBinder(JsonMapper.builder().build());
		this.contextRunner.withBean(TaskParameterBinder.class, () -> binder)
			.run((context) -> assertThat(context).getBean(TaskParameterBinder.class).isSameAs(binder));
	}

	@Test
	void backsOffForUserStoreDialect() {
		DatabaseDialect dialect = new PostgresDialect();

		this.contextRunner.withBean(DatabaseDialect.class, () -> dialect)
			.run((context) -> assertThat(context).getBean(DatabaseDialect.class).isSameAs(dialect));
	}

	@Test
	void backsOffForUserExecutionSchemaInitializer() {
		this.contextRunner.withBean(UserSchemaInitializer.class)
			.run((context) -> assertThat(context).getBean(ExecutionSchemaInitializer.class)
				.isInstanceOf(UserSchemaInitializer.class));
	}

	@Test
	void disabledProvidesNothing() {
		this.contextRunner.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskClient.class)
				.doesNotHaveBean(TaskRegistry.class)
				.doesNotHaveBean(TaskWorker.class));
	}

	@Test
	void workerDisabledKeepsTheClient() {
		this.contextRunner.withPropertyValues("background-tasks.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskWorker.class).hasSingleBean(TaskClient.class));
	}

	@Test
	void immediateModeRunsSubmissionsInTheCallersThread() {
		this.contextRunner.withBean(SampleTasks.class)
			.withPropertyValues("background-tasks.mode=immediate")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TaskWorker.class);
				TaskHandle handle = context.getBean(TaskClient.class).submit("greet", Map.of("name", "Ada"));
				assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
				assertThat(context.getBean(SampleTasks.class).lastThread).isSameAs(Thread.currentThread());
				assertThat(handle.execution().result()).isEqualTo("Hello Ada");
			});
	}

	@Test
	void migrateDisabledProvidesNoSchemaInitializer() {
		// Without the starter's tables the worker must not poll them.
		this.contextRunner
			.withPropertyValues("background-tasks.database.migrate=false", "background-tasks.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ExecutionSchemaInitializer.class)
				.hasSingleBean(TaskClient.class));
	}

	@Test
	void startsWithoutWebMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TaskClient.class));
	}

	@Test
	void startsWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TaskClient.class));
	}

	@Test
	void resolvesTheDatabaseOnceAndHasNoPostgresBeansOnH2() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DatabaseKind.class)).isEqualTo(DatabaseKind.H2);
			assertThat(context.getBean(DatabaseDialect.class).kind()).isEqualTo(DatabaseKind.H2);
			assertThat(context).doesNotHaveBean(PostgresReadyNotifier.class)
				.doesNotHaveBean(PostgresStreamInterest.class)
				.doesNotHaveBean(PostgresWakeUpListener.class)
				.doesNotHaveBean(ClusterWakeUp.class);
		});
	}

	@Test
	void providesTheNodeNameAsABean() {
		this.contextRunner.withPropertyValues("background-tasks.node-name=node-7")
			.run((context) -> assertThat(context.getBean(NodeName.class).value()).isEqualTo("node-7"));
	}

	@Test
	void generatesANodeNameWhenNoneIsConfigured() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(NodeName.class).value()).isNotBlank();
			assertThat(context.getBean(BackgroundTasksProperties.class).getNodeName()).isNull();
		});
	}

	@Test
	void platformThatContradictsTheDatabaseFailsStartUp() {
		this.contextRunner.withPropertyValues("background-tasks.database.platform=postgresql")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("configuration names POSTGRESQL")
				.hasMessageContaining("the DataSource is H2"));
	}

	@Test
	void anEventQueueCapacityBelowOneFailsStartUp() {
		this.contextRunner.withPropertyValues("background-tasks.events.queue-capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("background-tasks.events.queue-capacity must be at least 1, got 0"));
	}

	@Test
	void unknownPlatformFailsStartUp() {
		this.contextRunner.withPropertyValues("background-tasks.database.platform=oracle")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Unknown database platform 'oracle'"));
	}

	@Test
	void backsOffWithoutDataSource() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.h2", "org.postgresql", "com.zaxxer.hikari"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DataSource.class)
				.doesNotHaveBean(TaskClient.class));
	}

	@Test
	void keepsTheExecutionEntityNextToTheUsersOwnEntityScan() {
		this.contextRunner.withUserConfiguration(UserEntityScanConfiguration.class).run((context) -> {
			assertThat(context.getBean(EntityManagerFactory.class).getMetamodel().getEntities())
				.<Class<?>>extracting(EntityType::getJavaType)
				.contains(Customer.class, TaskExecution.class);
			assertThat(context.getBean(ExecutionQueries.class).find(UUID.randomUUID())).isEmpty();
		});
	}

	static class SampleTasks {

		volatile Thread lastThread;

		@BackgroundTask
		public String greet(String name) {
			this.lastThread = Thread.currentThread();
			return "Hello " + name;
		}

	}

	static class BadDefaultTasks {

		@BackgroundTask
		public void days(@TaskParam(defaultValue = "abc") int days) {
		}

	}

	static class UnknownPartitionTasks {

		@BackgroundTask(concurrency = 1, partitionBy = "customr")
		public void sync(String customer) {
		}

	}

	static class UnlimitedPartitionTasks {

		@BackgroundTask(partitionBy = "customer")
		public void sync(String customer) {
		}

	}

	static class MalformedRateTasks {

		@BackgroundTask(rate = "10 per second")
		public void sync(String customer) {
		}

	}

	static class ZeroRateTasks {

		@BackgroundTask(rate = "0/1s")
		public void sync(String customer) {
		}

	}

	static class FlowTasks {

		@BackgroundTask(concurrency = 1, partitionBy = "customer")
		public void sync(String customer) {
		}

		@BackgroundTask
		public void plain(String customer) {
		}

		@BackgroundTask(rate = "10/1s")
		public void rated() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Customer.class)
	static class UserEntityScanConfiguration {

	}

	@Entity
	static class Customer {

		@Id
		Long id;

	}

	static class UserSchemaInitializer extends ExecutionSchemaInitializer {

		UserSchemaInitializer(DataSource dataSource) {
			super(dataSource, DatabaseKind.H2);
		}

	}

}
