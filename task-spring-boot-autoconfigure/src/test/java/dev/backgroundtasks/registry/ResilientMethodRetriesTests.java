package dev.backgroundtasks.registry;

import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ResilientMethodRetries}: the start-up warning when Spring Framework's
 * {@code @Retryable} and the durable retry policy both apply to a task, and what happens then.
 */
@ExtendWith(OutputCaptureExtension.class)
class ResilientMethodRetriesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(BackgroundTaskAnnotationBeanPostProcessorTests.TaskInfrastructureConfiguration.class);

	@Test
	void warnsWhenBothRetriesApplyAndEachDurableAttemptRunsTheMethodSeveralTimes(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ResilientMethods.class).withBean(FlakyTasks.class).run((context) -> {
			assertThat(output).contains("Task 'flaky' (" + FlakyTasks.class.getName() + "#flaky())",
					"up to 3 durable attempts", "up to 2 more times", "3 × (1 + 2) times", "maxAttempts = 1");
			FlakyTasks tasks = context.getBean(FlakyTasks.class);
			TaskDefinition flaky = context.getBean(DefaultTaskRegistry.class).definition("flaky").orElseThrow();
			// One durable attempt is one invocation of the task through the bean's proxy.
			assertThatIllegalStateException().isThrownBy(() -> flaky.invoker().invoke(new Object[0])).withMessage("down");
			assertThat(tasks.runs()).isEqualTo(3);
		});
	}

	@Test
	void warnsForRetryableDeclaredOnTheClass(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ResilientMethods.class)
			.withBean(RetryableClassTasks.class)
			.run((context) -> assertThat(output).contains("Task 'everyMethod'", "up to 3 more times"));
	}

	@Test
	void doesNotWarnWhenTheTaskHasOneDurableAttempt(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ResilientMethods.class)
			.withBean(SingleAttemptTasks.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("retried twice over");
			});
	}

	@Test
	void doesNotWarnWhenResilientMethodsAreOffAsRetryableThenDoesNothing(CapturedOutput output) {
		this.contextRunner.withBean(FlakyTasks.class).run((context) -> {
			assertThat(output).doesNotContain("retried twice over");
			TaskDefinition flaky = context.getBean(DefaultTaskRegistry.class).definition("flaky").orElseThrow();
			assertThatIllegalStateException().isThrownBy(() -> flaky.invoker().invoke(new Object[0]));
			assertThat(context.getBean(FlakyTasks.class).runs()).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class ResilientMethods {

	}

	static class FlakyTasks {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@BackgroundTask
		@Retryable(maxRetries = 2, delay = 0)
		public void flaky() {
			this.runs.incrementAndGet();
			throw new IllegalStateException("down");
		}

	}

	@Retryable(delay = 0)
	static class RetryableClassTasks {

		@BackgroundTask
		public void everyMethod() {
		}

	}

	static class SingleAttemptTasks {

		@BackgroundTask(retry = @Retry(maxAttempts = 1))
		@Retryable(delay = 0)
		public void once() {
		}

	}

}
