package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.Map;

import dev.backgroundtasks.AwaitTimeoutException;
import dev.backgroundtasks.ExecutionCancelledException;
import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A node with the worker off: it submits and cancels, and nothing runs, so READY executions stay
 * READY until cancelled.
 */
@SpringBootTest(classes = TestTasksApplication.class, properties = "background-tasks.worker.enabled=false")
abstract class AbstractWebOnlyNodeTests {

	@Autowired
	TaskClient tasks;

	@Autowired
	ApplicationContext context;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void hasNoWorker() {
		assertThat(this.context.getBeansOfType(TaskWorker.class)).isEmpty();
	}

	@Test
	void cancelsReadyExecutionsOnceAndRefusesTheRest() {
		TaskHandle handle = this.tasks.submit("greet", Map.of("name", "nobody"));
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);
		assertThatExceptionOfType(AwaitTimeoutException.class).isThrownBy(() -> handle.await(Duration.ofMillis(100)))
			.satisfies((ex) -> assertThat(ex.getExecution().status()).isEqualTo(TaskStatus.READY));
		handle.cancel();
		assertThat(handle.status()).isEqualTo(TaskStatus.CANCELLED);
		assertThat(handle.execution().finishedAt()).isNotNull();
		assertThatExceptionOfType(ExecutionCancelledException.class)
			.isThrownBy(() -> handle.await(Duration.ofSeconds(1)));
		assertThatExceptionOfType(ExecutionConflictException.class).isThrownBy(handle::cancel)
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(TaskStatus.CANCELLED));
		assertThat(this.tasks.handle(handle.id()).status()).isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void submitInARolledBackTransactionLeavesNothing() {
		TaskHandle[] submitted = new TaskHandle[1];
		this.transactions.executeWithoutResult((status) -> {
			submitted[0] = this.tasks.submit("greet", Map.of());
			assertThat(this.tasks.execution(submitted[0].id())).isPresent();
			status.setRollbackOnly();
		});
		assertThat(this.tasks.execution(submitted[0].id())).isEmpty();
	}

}
