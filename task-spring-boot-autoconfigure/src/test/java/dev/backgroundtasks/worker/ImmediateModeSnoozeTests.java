package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskSnoozedException;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A task that snoozes in {@code immediate} mode: submitting runs it once in the caller's thread and leaves
 * it {@code READY}, due after the snooze, instead of running it again at once (and for ever).
 */
class ImmediateModeSnoozeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:immediate-snooze", "background-tasks.mode=immediate")
		.withBean(SnoozingTasks.class);

	@Test
	void aSnoozeLeavesTheExecutionReadyForLaterWithoutUsingItsAttempt() {
		this.contextRunner.run((context) -> {
			TaskHandle handle = context.getBean(TaskClient.class).submit("alwaysSnoozes");
			assertThat(context.getBean(SnoozingTasks.class).runs()).isEqualTo(1);
			assertThat(handle.status()).isEqualTo(TaskStatus.READY);
			assertThat(handle.execution().snoozes()).isEqualTo(1);
			assertThat(handle.execution().attempt()).isEqualTo(1);
			assertThat(handle.execution().runAt()).isAfter(handle.execution().createdAt().plus(Duration.ofMinutes(59)));
		});
	}

	@Test
	void aNegativeSnoozeIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TaskSnoozedException(Duration.ofSeconds(-1)))
			.withMessage("A task cannot snooze for a negative duration: PT-1S");
	}

	static class SnoozingTasks {

		private final AtomicInteger runs = new AtomicInteger();

		@BackgroundTask
		public void alwaysSnoozes() {
			this.runs.incrementAndGet();
			throw new TaskSnoozedException(Duration.ofHours(1));
		}

		int runs() {
			return this.runs.get();
		}

	}

}
