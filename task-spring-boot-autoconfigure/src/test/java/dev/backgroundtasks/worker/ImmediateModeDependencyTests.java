package dev.backgroundtasks.worker;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksWorkerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies in {@code immediate} mode: a dependent submitted while its parent runs does not start then;
 * it runs in the same thread once the parent succeeded, and never when the parent failed.
 */
class ImmediateModeDependencyTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:immediate-dependencies", "background-tasks.mode=immediate")
		.withBean(ChainTasks.class);

	@Test
	void aDependentRunsRightAfterItsParentSucceededAndNeverBefore() {
		this.contextRunner.run((context) -> {
			ChainTasks tasks = context.getBean(ChainTasks.class);
			TaskHandle parent = context.getBean(TaskClient.class).task("parent").param("fail", false).submit();
			assertThat(parent.status()).isEqualTo(TaskStatus.SUCCESSFUL);
			assertThat(tasks.log).containsExactly("parent start", "child submitted: WAITING", "parent end", "child");
			TaskHandle child = context.getBean(TaskClient.class).handle(tasks.childIds.get(0));
			assertThat(child.status()).isEqualTo(TaskStatus.SUCCESSFUL);
			assertThat(child.execution().after()).containsExactly(parent.id());
			TaskHandle late = context.getBean(TaskClient.class).task("child").after(parent.id()).submit();
			assertThat(late.status()).as("its parent succeeded already: READY, then run at once")
				.isEqualTo(TaskStatus.SUCCESSFUL);
		});
	}

	@Test
	void aDependentOfAFailedParentIsCancelledWithoutRunning() {
		this.contextRunner.run((context) -> {
			ChainTasks tasks = context.getBean(ChainTasks.class);
			TaskHandle parent = context.getBean(TaskClient.class).task("parent").param("fail", true).submit();
			assertThat(parent.status()).isEqualTo(TaskStatus.FAILED);
			TaskHandle child = context.getBean(TaskClient.class).handle(tasks.childIds.get(0));
			assertThat(child.status()).isEqualTo(TaskStatus.CANCELLED);
			assertThat(child.execution().error().type()).isEqualTo(DependencyFailedException.class.getName());
			assertThat(tasks.log).doesNotContain("child");
		});
	}

	static class ChainTasks {

		final List<String> log = new CopyOnWriteArrayList<>();

		final List<UUID> childIds = new CopyOnWriteArrayList<>();

		private final ObjectProvider<TaskClient> client;

		ChainTasks(ObjectProvider<TaskClient> client) {
			this.client = client;
		}

		@BackgroundTask(retry = @Retry(maxAttempts = 1))
		public void parent(boolean fail, TaskContext context) {
			this.log.add("parent start");
			TaskHandle child = this.client.getObject().task("child").after(context.executionId()).submit();
			this.childIds.add(child.id());
			this.log.add("child submitted: " + child.status());
			if (fail) {
				throw new IllegalStateException("parent failed");
			}
			this.log.add("parent end");
		}

		@BackgroundTask
		public void child() {
			this.log.add("child");
		}

	}

}
