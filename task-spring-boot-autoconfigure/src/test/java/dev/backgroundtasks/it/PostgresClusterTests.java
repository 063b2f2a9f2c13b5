package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.it.app.TestTasks;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes (two application contexts) share one PostgreSQL schema: every execution runs exactly once.
 */
@PostgresTest
class PostgresClusterTests {

	private static final int EXECUTIONS = 2000;

	@Test
	void twoWorkersRunEachOfTwoThousandExecutionsExactlyOnce() {
		String url = PostgresTestDatabase.freshSchemaUrl();
		TestTasks.runs.clear();
		try (ConfigurableApplicationContext first = node(url, "node-a");
				ConfigurableApplicationContext second = node(url, "node-b")) {
			List<TaskHandle> handles = new ArrayList<>();
			TaskClient[] clients = { first.getBean(TaskClient.class), second.getBean(TaskClient.class) };
			for (int key = 0; key < EXECUTIONS; key++) {
				handles.add(clients[key % 2].submit("count", Map.of("key", key)));
			}
			JdbcTemplate jdbc = new JdbcTemplate(first.getBean(javax.sql.DataSource.class));
			await().atMost(Duration.ofMinutes(2))
				.until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'SUCCESSFUL'",
						Integer.class) == EXECUTIONS);
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isEqualTo(EXECUTIONS);
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE attempt <> 1", Integer.class))
				.isZero();
			assertThat(TestTasks.runs).hasSize(EXECUTIONS);
			assertThat(TestTasks.runs.values()).extracting(AtomicInteger::get).containsOnly(1);
			Map<String, Object> perNode = jdbc.queryForMap(
					"SELECT COUNT(*) FILTER (WHERE node = 'node-a') AS a, COUNT(*) FILTER (WHERE node = 'node-b') AS b"
							+ " FROM bgt_execution");
			assertThat(((Number) perNode.get("a")).longValue() + ((Number) perNode.get("b")).longValue())
				.isEqualTo(EXECUTIONS);
			assertThat(((Number) perNode.get("a")).longValue()).as("node-a ran some").isPositive();
			assertThat(((Number) perNode.get("b")).longValue()).as("node-b ran some").isPositive();
			assertThat(handles).allSatisfy((handle) -> assertThat(handle.status().name()).isEqualTo("SUCCESSFUL"));
		}
	}

	private static ConfigurableApplicationContext node(String url, String name) {
		return new SpringApplicationBuilder(TestTasksApplication.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=" + name,
					"background-tasks.worker.concurrency=4", "spring.datasource.hikari.maximum-pool-size=12")
			.run();
	}

}
