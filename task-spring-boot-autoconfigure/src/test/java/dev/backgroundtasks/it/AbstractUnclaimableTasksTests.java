package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.actuate.BackgroundTasksEndpoint;
import dev.backgroundtasks.actuate.BackgroundTasksHealthIndicator;
import dev.backgroundtasks.actuate.QueueGauges;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.worker.NodeHeartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mixed versions, as the other nodes see them: executions of a task that no live worker node has
 * registered stay {@code READY} and are shown per task by the Actuator endpoint, the health details and
 * a gauge (also as JSON over HTTP), until a node that knows the task heartbeats. This context is node A, a worker that knows the
 * test application's tasks; node B, of a newer version, is a row in {@code bgt_node}. The executions of
 * the new task are not due yet, so that no worker of this version claims them before the claim filters
 * by task.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.show-details=always", "background-tasks.node-name=node-a", "background-tasks.metrics.queue-refresh-interval=1h",
				"spring.datasource.hikari.maximum-pool-size=5",
				"management.endpoints.web.exposure.include=backgroundtasks,health" })
@Import(AbstractUnclaimableTasksTests.SimpleRegistry.class)
// Closed after the class: a cached context would keep its pool of connections open.
@DirtiesContext
abstract class AbstractUnclaimableTasksTests {

	private static final String NEW_TASK = "added-in-next-version";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String UNCLAIMABLE = "background.tasks.unclaimable";

	private static final String WORKERS = "background.tasks.workers";

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	TaskRegistry registry;

	@Autowired
	BackgroundTasksEndpoint endpoint;

	@Autowired
	BackgroundTasksHealthIndicator health;

	@Autowired
	QueueGauges gauges;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcNodeStore nodes;

	@Autowired
	NodeHeartbeat heartbeat;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void executionsOfATaskNoLiveNodeKnowsAreShownUntilANodeKnowingItHeartbeats() {
		await().atMost(WAIT).until(() -> tasksOf("node-a") != null);
		this.tasks.task("add").params(Map.of("a", 1, "b", 2)).delay(Duration.ofDays(1)).submit();
		for (int i = 0; i < 3; i++) {
			insertReady(NEW_TASK);
		}
		assertUnclaimable(1, Map.of(NEW_TASK, 3L));
		assertThat(gauge(UNCLAIMABLE, "add")).as("a known task has no gauge").isNull();
		JsonNode endpoint = actuator("backgroundtasks").path("unclaimable");
		assertThat(endpoint.path("liveWorkers").asInt()).isOne();
		assertThat(endpoint.path("tasks").path(NEW_TASK).asLong()).isEqualTo(3);
		assertThat(endpoint.path("tasks").has("add")).isFalse();
		JsonNode health = actuator("health").path("components").path("backgroundTasks");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("unclaimable")).isEqualTo(endpoint);

		// A node that knows the task but has not heartbeated for minutes does not count.
		this.nodes.heartbeat("node-b", 0, 4, "worker", "add," + NEW_TASK, true);
		this.jdbc.update("UPDATE bgt_node SET last_heartbeat = CURRENT_TIMESTAMP - INTERVAL '5' MINUTE"
				+ " WHERE node_name = 'node-b'");
		assertUnclaimable(1, Map.of(NEW_TASK, 3L));

		// Node B heartbeats again: the task is known.
		this.nodes.heartbeat("node-b", 0, 4, "worker", "add," + NEW_TASK, false);
		assertUnclaimable(2, Map.of());
		assertThat(gauge(UNCLAIMABLE, NEW_TASK)).as("drops to 0").isZero();

		// Node B stops: its row goes, and the executions are unclaimable again.
		this.nodes.remove("node-b");
		assertUnclaimable(1, Map.of(NEW_TASK, 3L));
	}

	@Test
	void theHeartbeatWritesEveryRegisteredTaskAgainWhenTheyChangeOrTheRowWasForgotten() {
		await().atMost(WAIT).until(() -> tasksOf("node-a") != null);
		assertThat(Arrays.asList(tasksOf("node-a").split(",")))
			.containsExactlyInAnyOrderElementsOf(this.registry.tasks().stream().map(TaskInfo::name).toList());
		this.jdbc.update("UPDATE bgt_node SET tasks = 'as-written-before' WHERE node_name = 'node-a'");
		this.heartbeat.beat();
		assertThat(tasksOf("node-a")).as("not written while unchanged").isEqualTo("as-written-before");
		this.registry.register("registered-late", (params) -> null);
		this.heartbeat.beat();
		assertThat(tasksOf("node-a")).contains("registered-late").contains("add");
		this.jdbc.update("DELETE FROM bgt_node WHERE node_name = 'node-a'");
		this.heartbeat.beat();
		assertThat(tasksOf("node-a")).as("inserted again").contains("registered-late").contains("add");
	}

	private void assertUnclaimable(int liveWorkers, Map<String, Long> expected) {
		UnclaimableExecutions shown = this.endpoint.backgroundTasks().unclaimable();
		assertThat(shown.liveWorkers()).isEqualTo(liveWorkers);
		assertThat(shown.tasks()).isEqualTo(expected);
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("unclaimable", shown);
		this.gauges.refresh();
		assertThat(gauge(WORKERS, null)).isEqualTo(liveWorkers);
		expected.forEach((task, count) -> assertThat(gauge(UNCLAIMABLE, task)).isEqualTo(count.doubleValue()));
	}

	private JsonNode actuator(String path) {
		return RestClient.create("http://localhost:" + this.port + "/actuator/")
			.get()
			.uri(path)
			.retrieve()
			.body(JsonNode.class);
	}

	private @Nullable Double gauge(String name, @Nullable String task) {
		Gauge gauge = (task != null) ? this.meters.find(name).tag("task", task).gauge() : this.meters.find(name).gauge();
		return (gauge != null) ? gauge.value() : null;
	}

	private void insertReady(String task) {
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, created_at,"
				+ " run_at) VALUES (?, ?, 'READY', 'CODE', '{}', 0, CURRENT_TIMESTAMP,"
				+ " CURRENT_TIMESTAMP + INTERVAL '1' DAY)", UUID.randomUUID(), task);
	}

	private @Nullable String tasksOf(String node) {
		return this.jdbc.query("SELECT tasks FROM bgt_node WHERE node_name = ?",
				(rs) -> rs.next() ? rs.getString(1) : null, node);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SimpleRegistry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
