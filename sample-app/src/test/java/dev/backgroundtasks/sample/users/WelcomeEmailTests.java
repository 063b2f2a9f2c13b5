package dev.backgroundtasks.sample.users;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.test.BackgroundTasksTest;
import dev.backgroundtasks.test.BackgroundTasksTester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static dev.backgroundtasks.test.BackgroundTasksAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * The welcome e-mail task with the test kit: its retries (at least 5 s apart) become due when the test
 * clock moves, without real waiting; a user who does not exist fails it at once.
 */
@SpringBootTest(properties = { "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1",
		"background-tasks.tasks.heartbeat.enabled=false" })
@BackgroundTasksTest
class WelcomeEmailTests {

	@MockitoBean
	private AppUserRepository users;

	@Autowired
	private TaskClient tasks;

	@Autowired
	private BackgroundTasksTester tester;

	@Test
	void aSendThatFailsIsRetriedOnceItsDelayHasPassed() {
		given(this.users.findById(1L)).willThrow(new QueryTimeoutException("The database did not answer"))
			.willReturn(Optional.of(new AppUser(1L, "ada@example.com", "Ada Lovelace")));
		TaskHandle handle = this.tasks.submit("welcome-email", Map.of("userId", 1));
		this.tester.awaitIdle();
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);
		assertThat(handle.execution().error().message()).isEqualTo("The database did not answer");

		// The first retry waits 5 s plus up to half of it again.
		this.tester.advance(Duration.ofMillis(7500));

		assertThat(this.tester).succeeded("welcome-email").withParam("userId", 1).withAttempts(2).once();
		assertThat(handle.await(Duration.ofSeconds(1), WelcomeEmail.class).to()).isEqualTo("ada@example.com");
	}

	@Test
	void aUserWhoDoesNotExistFailsTheTaskWithoutRetries() {
		given(this.users.findById(99L)).willReturn(Optional.empty());
		this.tasks.submit("welcome-email", Map.of("userId", 99));
		assertThat(this.tester).failed("welcome-email")
			.withParams(Map.of("userId", 99))
			.withError(UserNotFoundException.class)
			.withAttempts(1)
			.once();
		assertThat(this.tester).didNotSubmit("sales-report");
	}

}
