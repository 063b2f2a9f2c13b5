package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.support.EngineThreads;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.CompletionBatcher;
import dev.backgroundtasks.worker.ExecutionRunner;
import dev.backgroundtasks.worker.ImmediateDispatcher;
import dev.backgroundtasks.worker.NodeHeartbeat;
import dev.backgroundtasks.worker.RetentionCleaner;
import dev.backgroundtasks.worker.StatisticsRecorder;
import dev.backgroundtasks.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksWorkerAutoConfiguration}.
 */
class BackgroundTasksWorkerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void providesAQueueWorkerByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(TaskWorker.class)
				.hasSingleBean(CompletionBatcher.class)
				.hasSingleBean(ExecutionRunner.class)
				.hasSingleBean(AttemptSupervisor.class)
				.hasSingleBean(NodeHeartbeat.class)
				.hasSingleBean(EngineThreads.class)
				.hasSingleBean(RetentionCleaner.class)
				.hasSingleBean(ExecutionDispatcher.class);
			assertThat(context.getBean(ExecutionDispatcher.class)).isNotInstanceOf(ImmediateDispatcher.class);
			assertThat(context.getBean(ExecutionDispatcher.class).localStart())
				.isSameAs(context.getBean(TaskWorker.class));
		});
	}

	@Test
	void workerDisabledKeepsTheDispatcherButClaimsNothing() {
		this.contextRunner.withPropertyValues("background-tasks.worker.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskWorker.class)
				.doesNotHaveBean(CompletionBatcher.class)
				.hasSingleBean(ExecutionDispatcher.class)
				.hasSingleBean(TaskClient.class);
			assertThat(context.getBean(ExecutionDispatcher.class).localStart()).isNull();
		});
	}

	@Test
	void immediateModeRunsInTheCallersThreadWithoutAWorker() {
		this.contextRunner.withPropertyValues("background-tasks.mode=immediate")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskWorker.class)
				.doesNotHaveBean(CompletionBatcher.class)
				.getBean(ExecutionDispatcher.class)
				.isInstanceOf(ImmediateDispatcher.class));
	}

	@Test
	void retentionDisabledProvidesNoCleaner() {
		this.contextRunner.withPropertyValues("background-tasks.retention.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RetentionCleaner.class));
	}

	@Test
	void recordsStatisticsAsAnObserverOfTheEngine() {
		this.contextRunner.withPropertyValues("background-tasks.statistics.flush-interval=1s").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(StatisticsRecorder.class);
			assertThat(context.getBeanProvider(ExecutionObserver.class).orderedStream())
				.containsExactly(context.getBean(StatisticsRecorder.class));
			assertThat(context.getBean(StatisticsRecorder.class).isRunning()).isTrue();
		});
	}

	@Test
	void recordsStatisticsOnANodeWithoutWorkerForTheAttemptsItRecovers() {
		this.contextRunner.withPropertyValues("background-tasks.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(StatisticsRecorder.class));
	}

	@Test
	void statisticsDisabledRecordsNothing() {
		this.contextRunner.withPropertyValues("background-tasks.statistics.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StatisticsRecorder.class)
				.doesNotHaveBean(ExecutionObserver.class)
				.hasSingleBean(TaskWorker.class));
	}

	@Test
	void backsOffForUserStatisticsRecorder() {
		StatisticsRecorder recorder = mock(StatisticsRecorder.class);
		this.contextRunner.withBean(StatisticsRecorder.class, () -> recorder)
			.run((context) -> assertThat(context).getBean(StatisticsRecorder.class).isSameAs(recorder));
	}

	@Test
	void backsOffForUserBeans() {
		ExecutionDispatcher dispatcher = (id) -> {
		};
		RetentionCleaner cleaner = mock(RetentionCleaner.class);
		this.contextRunner.withBean(ExecutionDispatcher.class, () -> dispatcher)
			.withBean(RetentionCleaner.class, () -> cleaner)
			.run((context) -> {
				assertThat(context).getBean(ExecutionDispatcher.class).isSameAs(dispatcher);
				assertThat(context).getBean(RetentionCleaner.class).isSameAs(cleaner);
			});
	}

	@Test
	void needsTheStoreAndClientConfiguration() {
		this.contextRunner.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ExecutionRunner.class)
				.doesNotHaveBean(TaskWorker.class));
	}

}
