package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that submits nothing itself, polling only once a minute, starts work submitted on another node
 * at once: PostgreSQL's NOTIFY wakes it. Again after its listening connection was killed, and for a
 * batch. An execution started directly on the submitting node wakes nobody.
 */
@PostgresTest
class PostgresWakeUpTests {

	private static final Duration WELL_BEFORE_THE_POLL = Duration.ofSeconds(10);

	@Test
	void anotherNodesSubmissionWakesTheWorkerEvenAfterItsConnectionWasKilled() {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext worker = node(url, "listening-node", "background-tasks.worker.poll-interval=60s");
				ConfigurableApplicationContext submitter = node(url, "submitting-node",
						"background-tasks.worker.enabled=false")) {
			TaskClient client = submitter.getBean(TaskClient.class);
			JdbcTemplate jdbc = new JdbcTemplate(submitter.getBean(DataSource.class));
			// The worker's first claim happens at start-up; wait until its dispatcher sleeps on the poll.
			Integer listener = await().atMost(WELL_BEFORE_THE_POLL).until(() -> listenerPid(jdbc), (pid) -> pid != null);
			TaskHandle first = client.submit("greet", Map.of("name", "notified"));
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> first.status() == TaskStatus.SUCCESSFUL);
			assertThat(first.execution().node()).isEqualTo("listening-node");

			jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, listener);
			await().atMost(WELL_BEFORE_THE_POLL)
				.until(() -> listenerPid(jdbc), (pid) -> pid != null && !pid.equals(listener));
			TaskHandle second = client.submit("greet", Map.of("name", "again"));
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> second.status() == TaskStatus.SUCCESSFUL);
			assertThat(second.execution().node()).isEqualTo("listening-node");

			// A batch wakes the other nodes too.
			List<TaskHandle> batch = client.submitAll("greet", List.of(Map.of("name", "a"), Map.of("name", "b")));
			await().atMost(WELL_BEFORE_THE_POLL)
				.until(() -> batch.stream().allMatch((handle) -> handle.status() == TaskStatus.SUCCESSFUL));
			assertThat(batch).allSatisfy((handle) -> assertThat(handle.execution().node()).isEqualTo("listening-node"));
		}
	}

	@Test
	void onlyInsertsOfReadyExecutionsWakeTheCluster() throws SQLException {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext node = node(url, "direct-node");
				Connection raw = DriverManager.getConnection(url)) {
			String schema = new JdbcTemplate(node.getBean(DataSource.class))
				.queryForObject("SELECT current_schema()", String.class);
			try (Statement statement = raw.createStatement()) {
				statement.execute("LISTEN \"bgt_ready:" + schema + "\"");
			}
			TaskClient client = node.getBean(TaskClient.class);
			TaskHandle direct = client.submit("greet", Map.of("name", "here"));
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> direct.status() == TaskStatus.SUCCESSFUL);
			assertThat(direct.execution().startedAt()).as("started directly").isEqualTo(direct.execution().createdAt());
			assertThat(wakeUps(raw, Duration.ofMillis(500))).as("wake-ups for a direct start").isZero();

			TaskHandle alone = client.task("greet").key("alone").params(Map.of("name", "alone")).submit();
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> alone.status() == TaskStatus.SUCCESSFUL);
			assertThat(wakeUps(raw, Duration.ofMillis(500))).as("wake-ups with no other node in bgt_node").isZero();

			// Another node appears (its row is enough): it is woken again, within a second.
			new JdbcTemplate(node.getBean(DataSource.class)).update("INSERT INTO bgt_node (node_name, started_at,"
					+ " last_heartbeat, running) VALUES ('other-node', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)");
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> {
				TaskHandle probe = client.task("greet").key("probe-" + UUID.randomUUID()).params(Map.of("name", "p")).submit();
				await().atMost(WELL_BEFORE_THE_POLL).until(() -> probe.status() == TaskStatus.SUCCESSFUL);
				return wakeUps(raw, Duration.ofMillis(300)) > 0;
			});
			TaskHandle queued = client.task("greet").key("queued").params(Map.of("name", "queue")).submit();
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> queued.status() == TaskStatus.SUCCESSFUL);
			assertThat(wakeUps(raw, Duration.ofMillis(500))).as("wake-ups for a queued execution").isOne();
		}
	}

	private static int wakeUps(Connection raw, Duration during) throws SQLException {
		int count = 0;
		long deadline = System.nanoTime() + during.toNanos();
		while (System.nanoTime() < deadline) {
			PGNotification[] received = raw.unwrap(PGConnection.class).getNotifications(50);
			count += (received != null) ? received.length : 0;
		}
		return count;
	}

	private static Integer listenerPid(JdbcTemplate jdbc) {
		List<Integer> pids = jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ?"
				+ " AND (query LIKE 'LISTEN%' OR query LIKE 'NOTIFY%' OR query = 'SELECT 1')", Integer.class,
				"bgt-listener listening-node");
		return pids.isEmpty() ? null : pids.get(0);
	}

	private static ConfigurableApplicationContext node(String url, String name, String... properties) {
		String[] args = new String[properties.length + 2];
		args[0] = "--spring.datasource.url=" + url;
		args[1] = "--background-tasks.node-name=" + name;
		for (int i = 0; i < properties.length; i++) {
			args[i + 2] = "--" + properties[i];
		}
		return new SpringApplicationBuilder(TestTasksApplication.class).web(WebApplicationType.NONE).run(args);
	}

}
