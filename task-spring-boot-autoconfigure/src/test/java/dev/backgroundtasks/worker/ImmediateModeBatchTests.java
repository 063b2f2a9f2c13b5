package dev.backgroundtasks.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.autoconfigure.BackgroundTasksAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksWorkerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch in {@code immediate} mode: submitting runs every member in the caller's thread, then the callback,
 * once, after the last member (not inside its end), before {@code submit()} returns.
 */
class ImmediateModeBatchTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:immediate-batch", "background-tasks.mode=immediate")
		.withBean(BatchTasks.class);

	@Test
	void membersRunThenTheCallbackRunsOnceInTheCallersThread() {
		this.contextRunner.run((context) -> {
			BatchTasks tasks = context.getBean(BatchTasks.class);
			BatchHandle handle = context.getBean(TaskClient.class)
				.batch()
				.add("member", Map.of("name", "a"))
				.add("member", Map.of("name", "fails"))
				.add("member", Map.of("name", "c"))
				.onComplete("done", Map.of())
				.submit();
			assertThat(tasks.calls).containsExactly("a", "fails", "c",
					"done " + handle.id() + " {SUCCESSFUL=2, FAILED=1, CANCELLED=0}");
			assertThat(tasks.threads).containsOnly(Thread.currentThread().getName());
			assertThat(handle.isDone()).isTrue();
			assertThat(handle.counts()).containsEntry(TaskStatus.SUCCESSFUL, 2).containsEntry(TaskStatus.FAILED, 1);
		});
	}

	static class BatchTasks {

		final List<String> calls = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@BackgroundTask(retry = @Retry(maxAttempts = 1))
		public void member(String name) {
			this.calls.add(name);
			this.threads.add(Thread.currentThread().getName());
			if (name.equals("fails")) {
				throw new IllegalStateException("asked to fail");
			}
		}

		@BackgroundTask
		public void done(String batchId, Map<String, Integer> counts) {
			this.calls.add("done " + batchId + " " + counts);
			this.threads.add(Thread.currentThread().getName());
		}

	}

}
