package dev.backgroundtasks.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.ExecutionCancelledException;
import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.actuate.QueueGauges;
import dev.backgroundtasks.it.app.TestTasksApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer meters of background tasks, on a {@link SimpleMeterRegistry}, run on H2 and on
 * PostgreSQL: one executions sample per terminal outcome, retries counted apart, gauges that match
 * the table, and no high-cardinality tag.
 */
@SpringBootTest(classes = TestTasksApplication.class,
		properties = { "background-tasks.retry.min-delay=100ms", "background-tasks.retry.max-delay=200ms",
				"background-tasks.worker.cancel-check-interval=100ms", "background-tasks.worker.poll-interval=100ms",
				"background-tasks.worker.heartbeat-interval=200ms",
				"background-tasks.metrics.queue-refresh-interval=1h", "test.schedules.every-second=1s",
				"spring.datasource.hikari.maximum-pool-size=5" })
@Import(AbstractMetricsTests.SimpleRegistry.class)
// Closed after the class: a cached context would keep its pool of PostgreSQL connections open.
@DirtiesContext
abstract class AbstractMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Set<String> TAG_KEYS = Set.of("task", "outcome", "trigger", "status", "error");

	@Autowired
	TaskClient tasks;

	@Autowired
	MeterRegistry meters;

	@Autowired
	QueueGauges gauges;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void recordsOneExecutionSamplePerTerminalOutcome() {
		assertThat(this.meters).isInstanceOf(SimpleMeterRegistry.class);
		List<UUID> ids = new ArrayList<>();
		int successes = 3;
		int failures = 2;
		long addBefore = executions("add", "success");
		long explodeBefore = executions("explode", "failure");
		long submittedBefore = counter("background.tasks.submitted", "task", "add", "trigger", "CODE");
		for (int i = 0; i < successes; i++) {
			TaskHandle handle = this.tasks.submit("add", Map.of("a", i, "b", 1));
			ids.add(handle.id());
			assertThat(handle.await(WAIT)).isEqualTo(i + 1);
		}
		for (int i = 0; i < failures; i++) {
			TaskHandle handle = this.tasks.submit("explode", Map.of("reason", "secret-param-" + i));
			ids.add(handle.id());
			assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT));
		}
		await().atMost(WAIT).until(() -> executions("add", "success") == addBefore + successes
				&& executions("explode", "failure") == explodeBefore + failures);
		assertThat(counter("background.tasks.submitted", "task", "add", "trigger", "CODE"))
			.isEqualTo(submittedBefore + successes);
		assertNoHighCardinalityTags(ids);
	}

	@Test
	void countsEveryExecutionOfABatch() {
		long submittedBefore = counter("background.tasks.submitted", "task", "add", "trigger", "CODE");
		List<TaskHandle> handles = this.tasks.submitAll("add", List.of(Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 2),
				Map.of("a", 3, "b", 3)));
		assertThat(handles.get(2).await(WAIT)).isEqualTo(6);
		assertThat(counter("background.tasks.submitted", "task", "add", "trigger", "CODE"))
			.isEqualTo(submittedBefore + 3);
	}

	@Test
	void cancellingARunningExecutionRecordsCancelledButCancellingAReadyOneRecordsNothing() {
		long cancelledBefore = executions("sleepy", "cancelled");
		TaskHandle running = this.tasks.submit("sleepy", Map.of("millis", 30_000));
		TaskHandle ready = this.tasks.task("sleepy").delay(Duration.ofHours(1)).params(Map.of("millis", 1)).submit();
		await().atMost(WAIT).until(() -> running.status() == TaskStatus.RUNNING);
		await().atMost(WAIT).until(() -> gauge("background.tasks.active") >= 1);
		running.cancel();
		ready.cancel();
		assertThatExceptionOfType(ExecutionCancelledException.class).isThrownBy(() -> running.await(WAIT));
		assertThat(ready.status()).isEqualTo(TaskStatus.CANCELLED);
		await().atMost(WAIT).until(() -> executions("sleepy", "cancelled") == cancelledBefore + 1);
		assertNoHighCardinalityTags(List.of(running.id(), ready.id()));
	}

	@Test
	void recordsATimeoutAsItsOwnOutcome() {
		long before = executions("overrun", "timeout");
		TaskHandle handle = this.tasks.submit("overrun", Map.of());
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> handle.await(WAIT));
		await().atMost(WAIT).until(() -> executions("overrun", "timeout") == before + 1);
		assertThat(executions("overrun", "failure")).isZero();
	}

	@Test
	void countsARetriedAttemptAsARetryAndNotAsAnExecution() {
		long retriesBefore = counter("background.tasks.retries", "task", "flaky");
		long successBefore = executions("flaky", "success");
		long failureBefore = executions("flaky", "failure");
		TaskHandle handle = this.tasks.submit("flaky", Map.of("key", UUID.randomUUID().toString(), "failures", 1));
		handle.await(WAIT);
		await().atMost(WAIT).until(() -> executions("flaky", "success") == successBefore + 1);
		assertThat(counter("background.tasks.retries", "task", "flaky")).isEqualTo(retriesBefore + 1);
		assertThat(executions("flaky", "failure")).isEqualTo(failureBefore);
	}

	@Test
	void countsAttemptsLostWithTheirNodeAsRecoveredAndTheRetriedOnesAsRetries() {
		long retriesBefore = counter("background.tasks.retries", "task", "greet");
		long readyBefore = counter("background.tasks.recovered", "task", "greet", "status", "READY");
		long failedBefore = counter("background.tasks.recovered", "task", "greet", "status", "FAILED");
		long failuresBefore = executions("greet", "failure");
		UUID lost = runningOnADeadNode(1);
		UUID exhausted = runningOnADeadNode(3);
		await().atMost(WAIT)
			.until(() -> counter("background.tasks.recovered", "task", "greet", "status", "READY") == readyBefore + 1
					&& counter("background.tasks.recovered", "task", "greet", "status", "FAILED") == failedBefore + 1);
		assertThat(counter("background.tasks.retries", "task", "greet")).isEqualTo(retriesBefore + 1);
		await().atMost(WAIT).until(() -> this.tasks.handle(lost).status() == TaskStatus.SUCCESSFUL);
		assertThat(this.tasks.handle(exhausted).status()).isEqualTo(TaskStatus.FAILED);
		// No attempt of it ended on a node that could time it.
		assertThat(executions("greet", "failure")).isEqualTo(failuresBefore);
		assertNoHighCardinalityTags(List.of(lost, exhausted));
	}

	private UUID runningOnADeadNode(int attempt) {
		UUID id = this.tasks.task("greet").delay(Duration.ofHours(1)).params(Map.of("name", "lost")).submit().id();
		this.jdbc.update("UPDATE bgt_execution SET status = 'RUNNING', node = 'dead-node', attempt = ?,"
				+ " max_attempts = 3, lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND,"
				+ " run_at = CURRENT_TIMESTAMP WHERE id = ?", attempt, id);
		return id;
	}

	@Test
	void timesPickupLatencyAndScheduleLag() {
		TaskHandle handle = this.tasks.submit("greet", Map.of("name", "latency"));
		handle.await(WAIT);
		await().atMost(WAIT).until(() -> timerCount("background.tasks.pickup.latency", "greet") >= 1);
		await().atMost(WAIT).until(() -> timerCount("background.tasks.schedule.lag", "every-second") >= 1);
		assertThat(timerCount("background.tasks.schedule.lag", "greet")).isZero();
		assertThat(counter("background.tasks.submitted", "task", "every-second", "trigger", "SCHEDULE")).isPositive();
	}

	@Test
	void queueGaugesMatchTheTableAfterARefresh() {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(this.tasks.task("greet").runAt(Instant.now().plus(Duration.ofHours(1))).submit().id());
		}
		TaskHandle running = this.tasks.submit("sleepy", Map.of("millis", 30_000));
		ids.add(running.id());
		await().atMost(WAIT).until(() -> running.status() == TaskStatus.RUNNING);
		this.gauges.refresh();
		for (String task : List.of("greet", "sleepy", "add")) {
			for (TaskStatus status : List.of(TaskStatus.READY, TaskStatus.RUNNING)) {
				Long rows = this.jdbc.queryForObject(
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?", Long.class, task,
						status.name());
				assertThat(this.meters.get("background.tasks.queue").tags("task", task, "status", status.name())
					.gauge()
					.value()).as("%s %s", task, status).isEqualTo(rows.doubleValue());
			}
		}
		assertThat(this.meters.get("background.tasks.queue").tags("task", "greet", "status", "READY").gauge().value())
			.isGreaterThanOrEqualTo(4);
		// Each once: the running one may already be CANCELLED when cancelled again.
		ids.forEach((id) -> this.tasks.handle(id).cancel());
		assertNoHighCardinalityTags(ids);
	}

	private void assertNoHighCardinalityTags(List<UUID> ids) {
		Set<String> idTexts = new HashSet<>();
		ids.forEach((id) -> idTexts.add(id.toString()));
		List<Meter> ours = this.meters.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("background.tasks"))
			.toList();
		assertThat(ours).isNotEmpty();
		for (Meter meter : ours) {
			for (Tag tag : meter.getId().getTags()) {
				assertThat(TAG_KEYS).as("tag key of %s", meter.getId()).contains(tag.getKey());
				assertThat(idTexts).as("tag value of %s", meter.getId()).doesNotContain(tag.getValue());
				assertThat(tag.getValue()).as("tag value of %s", meter.getId()).doesNotContain("secret-param");
			}
		}
	}

	private long executions(String task, String outcome) {
		Timer timer = Search.in(this.meters)
			.name("background.tasks.executions")
			.tags("task", task, "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private long timerCount(String name, String task) {
		Timer timer = Search.in(this.meters).name(name).tag("task", task).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private long counter(String name, String... tags) {
		Counter counter = Search.in(this.meters).name(name).tags(tags).counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SimpleRegistry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
