package dev.backgroundtasks.sample;

import java.time.Duration;
import java.util.Map;

import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.sample.users.WelcomeEmail;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How an application tests its own tasks: {@code background-tasks.mode=immediate} runs each submission
 * in the calling thread, and still records it.
 */
@SpringBootTest(properties = { "background-tasks.mode=immediate",
		"spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1" })
class ImmediateModeTests {

	@Autowired
	private TaskClient tasks;

	@Test
	void runsTheTaskBeforeSubmitReturns() {
		TaskHandle handle = this.tasks.submit("add", Map.of("a", 20, "b", 22));
		assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(handle.await(Duration.ofSeconds(1), Integer.class)).isEqualTo(42);
	}

	@Test
	void convertsTheResultToTheDeclaredReturnType() {
		Object result = this.tasks.submit("welcome-email", Map.of("userId", 1)).await(Duration.ofSeconds(1));
		assertThat(result).isInstanceOfSatisfying(WelcomeEmail.class,
				(email) -> assertThat(email.to()).isEqualTo("ada@example.com"));
	}

	@Test
	void reportsAFailureThroughTheHandle() {
		TaskHandle handle = this.tasks.submit("always-fails");
		assertThat(handle.status()).isEqualTo(TaskStatus.FAILED);
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(Duration.ofSeconds(1)))
			.withMessageContaining("This task always fails");
	}

}
