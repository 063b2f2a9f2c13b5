package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.postgres.PostgresEventNotifier;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.postgres.PostgresStreamInterestListener;
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
 * Nodes send their events to the cluster ({@code pg_notify}) only while some node streams them to
 * clients: a worker node stays silent until a node announces stream clients, sends while it does, and a
 * node with stream clients answers a node that asks.
 */
@PostgresTest
class PostgresStreamInterestTests {

	@Test
	void workerSendsEventsOnlyWhileSomeNodeAnnouncesStreamClients() throws Exception {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(TestTasksApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=quiet-worker")
			.run(); Connection raw = DriverManager.getConnection(url)) {
			String schema = new JdbcTemplate(worker.getBean(DataSource.class))
				.queryForObject("SELECT current_schema()", String.class);
			try (Statement statement = raw.createStatement()) {
				statement.execute("LISTEN \"" + PostgresEventNotifier.channelOf(schema) + "\"");
			}
			PostgresStreamInterest interest = worker.getBean(PostgresStreamInterest.class);
			// The grace period after the worker's listener connected ends: nobody has announced.
			await().atMost(Duration.ofSeconds(10)).until(() -> !interest.wanted());
			TaskClient client = worker.getBean(TaskClient.class);
			TaskHandle unwatched = client.submit("greet", Map.of("name", "nobody"));
			await().atMost(Duration.ofSeconds(10)).until(() -> unwatched.status() == TaskStatus.SUCCESSFUL);
			assertThat(eventsArriving(raw, Duration.ofMillis(700))).as("events sent while nobody streams").isEmpty();

			try (Statement statement = raw.createStatement()) {
				statement.execute("NOTIFY \"" + PostgresStreamInterest.channelName(schema) + "\", '!'");
			}
			await().atMost(Duration.ofSeconds(5)).until(interest::wanted);
			TaskHandle watched = client.submit("greet", Map.of("name", "watcher"));
			await().atMost(Duration.ofSeconds(10)).until(() -> watched.status() == TaskStatus.SUCCESSFUL);
			List<String> sent = new ArrayList<>();
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				sent.addAll(eventsArriving(raw, Duration.ofMillis(100)));
				return String.join("\n", sent).contains("SUCCESSFUL");
			});
			assertThat(String.join("\n", sent)).contains(watched.id().toString()).doesNotContain(unwatched.id().toString());
		}
	}

	@Test
	void nodeWithStreamClientsAnswersANodeThatAsks() throws Exception {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext web = new SpringApplicationBuilder(TestTasksApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("spring.datasource.url=" + url, "server.port=0", "background-tasks.node-name=streaming",
					"background-tasks.worker.enabled=false")
			.run(); Connection raw = DriverManager.getConnection(url)) {
			String schema = new JdbcTemplate(web.getBean(DataSource.class))
				.queryForObject("SELECT current_schema()", String.class);
			String channel = "\"" + PostgresStreamInterest.channelName(schema) + "\"";
			try (Statement statement = raw.createStatement()) {
				statement.execute("LISTEN " + channel);
			}
			String api = "http://localhost:" + web.getEnvironment().getProperty("local.server.port") + "/api/v1";
			try (SseClient stream = SseClient.open(api + "/executions/stream")) {
				assertThat(stream.status()).isEqualTo(200);
				// Opening the stream announced it.
				assertThat(awaitPayload(raw, "!")).isTrue();
				try (Statement statement = raw.createStatement()) {
					statement.execute("NOTIFY " + channel + ", '?'");
				}
				assertThat(awaitPayload(raw, "!")).as("answer to the question").isTrue();
			}
		}
	}

	@Test
	void graceAfterListeningOnlyWhenAnotherNodeIsKnown() throws Exception {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext node = new SpringApplicationBuilder(TestTasksApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=first",
					"background-tasks.worker.enabled=false")
			.run(); Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
			JdbcTemplate jdbc = new JdbcTemplate(node.getBean(DataSource.class));
			String channel = PostgresStreamInterest.channelName(jdbc.queryForObject("SELECT current_schema()", String.class));
			assertThat(jdbc.queryForList("SELECT node_name FROM bgt_node", String.class)).containsExactly("first");
			PostgresStreamInterest alone = new PostgresStreamInterest(jdbc, "first", () -> {
			}, () -> {
			});
			alone.listening(statement, channel);
			assertThat(alone.wanted()).as("no other node could be streaming already").isFalse();
			PostgresStreamInterest second = new PostgresStreamInterest(jdbc, "second", () -> {
			}, () -> {
			});
			second.listening(statement, channel);
			assertThat(second.wanted()).as("sends while 'first' may still answer").isTrue();
		}
	}

	@Test
	void nodeWithoutWorkerOrEventStreamListensForInterestItselfAndStopsSending() {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(TestTasksApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=worker")
			.run();
				ConfigurableApplicationContext submitter = new SpringApplicationBuilder(TestTasksApplication.class)
					.web(WebApplicationType.NONE)
					.properties("spring.datasource.url=" + url, "background-tasks.node-name=submitter",
							"background-tasks.worker.enabled=false")
					.run()) {
			assertThat(worker.getBean(PostgresStreamInterestListener.class).isRunning())
				.as("the worker's wake-up listener hears the interest already")
				.isFalse();
			PostgresStreamInterestListener listener = submitter.getBean(PostgresStreamInterestListener.class);
			await().atMost(Duration.ofSeconds(10)).until(listener::isListening);
			// Another node is known, so it sends during the grace period only, then nobody announced.
			await().atMost(Duration.ofSeconds(10)).until(() -> !submitter.getBean(PostgresStreamInterest.class).wanted());
		}
	}

	private static boolean awaitPayload(Connection raw, String payload) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			PGNotification[] received = raw.unwrap(PGConnection.class).getNotifications(100);
			if (received != null) {
				for (PGNotification notification : received) {
					if (notification.getParameter().equals(payload)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	private static List<String> eventsArriving(Connection raw, Duration during) throws SQLException {
		List<String> payloads = new ArrayList<>();
		long deadline = System.nanoTime() + during.toNanos();
		while (System.nanoTime() < deadline) {
			PGNotification[] received = raw.unwrap(PGConnection.class).getNotifications(50);
			if (received != null) {
				for (PGNotification notification : received) {
					payloads.add(notification.getParameter());
				}
			}
		}
		return payloads;
	}

}
