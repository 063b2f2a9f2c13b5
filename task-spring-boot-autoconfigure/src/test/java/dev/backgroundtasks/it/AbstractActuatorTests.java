package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.actuate.BackgroundTasksEndpoint;
import dev.backgroundtasks.actuate.BackgroundTasksEndpoint.BackgroundTasksDescriptor;
import dev.backgroundtasks.actuate.BackgroundTasksEndpoint.TaskDescriptor;
import dev.backgroundtasks.actuate.BackgroundTasksHealthIndicator;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.LiveWorkers;
import dev.backgroundtasks.execution.NodeInfo;
import dev.backgroundtasks.execution.UnclaimableExecutions;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.worker.AttemptSupervisor;
import dev.backgroundtasks.worker.NodeHeartbeat;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Actuator endpoint, the health indicator and the nodes table, run on H2 and on PostgreSQL. The
 * worker is off and the heartbeat is rare, so READY rows and planted expired leases stay as they are.
 */
@SpringBootTest(classes = TestTasksApplication.class,
		properties = { "background-tasks.worker.enabled=false", "background-tasks.worker.heartbeat-interval=1h",
				"spring.datasource.hikari.maximum-pool-size=4",
				"background-tasks.node-name=actuator-node",
				"management.endpoints.web.exposure.include=backgroundtasks,health" })
// Closed after the class: a cached context would keep its pool of PostgreSQL connections open.
@DirtiesContext
abstract class AbstractActuatorTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	TaskClient tasks;

	@Autowired
	BackgroundTasksEndpoint endpoint;

	@Autowired
	BackgroundTasksHealthIndicator health;

	@Autowired
	JdbcNodeStore nodes;

	@Autowired
	NodeHeartbeat heartbeat;

	@Autowired
	AttemptSupervisor supervisor;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void showsTasksWithTheirScheduleQueueAndTheLiveNode() {
		TaskHandle handle = this.tasks.submit("add", Map.of("a", 1, "b", 2));
		BackgroundTasksDescriptor descriptor = this.endpoint.backgroundTasks();
		TaskDescriptor add = task(descriptor, "add");
		assertThat(add.tags()).containsExactly("math", "quick");
		assertThat(add.enabled()).isTrue();
		assertThat(add.queue().get(TaskStatus.READY)).isEqualTo(countOf("add", TaskStatus.READY)).isPositive();
		assertThat(add.queue()).containsEntry(TaskStatus.RUNNING, 0L);
		assertThat(add.lastExecution()).isNotNull();
		assertThat(add.lastExecution().id()).isEqualTo(handle.id());
		TaskDescriptor digest = task(descriptor, "new-year-digest");
		assertThat(digest.schedules()).singleElement().satisfies((schedule) -> {
			assertThat(schedule.expression()).isEqualTo("0 3 1 1 *");
			assertThat(schedule.nextRunAt()).isNotNull();
		});
		assertThat(descriptor.queue().get(TaskStatus.READY)).isGreaterThanOrEqualTo(add.queue().get(TaskStatus.READY));
		assertThat(descriptor.nodes()).filteredOn((node) -> node.name().equals("actuator-node"))
			.singleElement()
			.satisfies((node) -> {
				assertThat(node.live()).isTrue();
				assertThat(node.running()).isZero();
				assertThat(node.lastHeartbeat()).isAfterOrEqualTo(node.startedAt());
			});
	}

	@Test
	void marksSilentNodesAndForgetsThoseSilentForLong() {
		this.jdbc.update("INSERT INTO bgt_node (node_name, started_at, last_heartbeat, running) VALUES"
				+ " ('quiet-node', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP - INTERVAL '1' DAY, 2),"
				+ " ('gone-node', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP - INTERVAL '1' DAY, 0)");
		assertThat(this.nodes.nodes(Duration.ofSeconds(30))).filteredOn((node) -> node.name().equals("quiet-node"))
			.singleElement()
			.satisfies((node) -> {
				assertThat(node.live()).isFalse();
				assertThat(node.running()).isEqualTo(2);
			});
		this.heartbeat.beat();
		assertThat(this.nodes.nodes(Duration.ofSeconds(30))).extracting(NodeInfo::name)
			.contains("actuator-node")
			.doesNotContain("quiet-node", "gone-node");
	}

	@Test
	void withNoLiveWorkerNodeEveryReadyExecutionIsUnclaimable() {
		this.tasks.submit("add", Map.of("a", 3, "b", 4));
		UnclaimableExecutions unclaimable = this.endpoint.backgroundTasks().unclaimable();
		assertThat(unclaimable.liveWorkers()).as("this node runs no worker").isZero();
		assertThat(unclaimable.tasks()).containsEntry("add", countOf("add", TaskStatus.READY));
		assertThat(this.health.health(true).getDetails()).containsKey("unclaimable");
	}

	@Test
	void healthIsUpWithTheBacklogInItsDetails() {
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails())
			.containsKeys("ready", "running", "oldestReadyAge", "expiredLeases", "unclaimable")
			.containsEntry("node", "actuator-node");
	}

	@Test
	void healthIsDownWhenAThresholdIsExceeded() {
		BackgroundTasksHealthIndicator strict = new BackgroundTasksHealthIndicator(new ExecutionStatistics(this.jdbc),
				this::liveWorkers, null, "n", Duration.ofMillis(1), 0);
		this.tasks.submit("greet", Map.of("name", "waiting"));
		await().atMost(WAIT).until(() -> strict.health(true).getStatus().equals(Status.DOWN));
		assertThat(strict.health(true).getDetails().get("reason").toString()).contains("max-ready-age");
		UUID zombie = UUID.randomUUID();
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, created_at,"
				+ " run_at, started_at, node, lease_until) VALUES (?, 'greet', 'RUNNING', 'CODE', '{}', 1,"
				+ " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'dead-node',"
				+ " CURRENT_TIMESTAMP - INTERVAL '1' HOUR)", zombie);
		BackgroundTasksHealthIndicator leases = new BackgroundTasksHealthIndicator(new ExecutionStatistics(this.jdbc),
				this::liveWorkers, null, "n", null, 0);
		Health down = leases.health(true);
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("expiredLeases", 1L);
		this.jdbc.update("DELETE FROM bgt_execution WHERE id = ?", zombie);
		assertThat(leases.health(true).getStatus()).isEqualTo(Status.UP);
	}

	private LiveWorkers liveWorkers() {
		return this.nodes.liveWorkers(this.heartbeat.liveWithin());
	}

	private long countOf(String task, TaskStatus status) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?",
				Long.class, task, status.name());
		return (count != null) ? count : 0;
	}

	private static TaskDescriptor task(BackgroundTasksDescriptor descriptor, String name) {
		return descriptor.tasks().stream().filter((task) -> task.name().equals(name)).findFirst().orElseThrow();
	}

}
