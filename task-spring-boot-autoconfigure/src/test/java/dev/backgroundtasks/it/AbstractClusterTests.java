package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

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
 * Two nodes (two application contexts) share one database: every execution runs exactly once, and
 * both nodes take part. Run on PostgreSQL and on MariaDB by the subclasses.
 */
abstract class AbstractClusterTests {

	private static final int EXECUTIONS = 2000;

	@Test
	void twoWorkersRunEachOfTwoThousandExecutionsExactlyOnce() {
		String url = freshUrl();
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
			Map<String, Long> perNode = jdbc.queryForList("SELECT node, COUNT(*) AS runs FROM bgt_execution GROUP BY node")
				.stream()
				.collect(Collectors.toMap((row) -> (String) row.get("node"),
						(row) -> ((Number) row.get("runs")).longValue()));
			assertThat(perNode).containsOnlyKeys("node-a", "node-b");
			assertThat(perNode.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EXECUTIONS);
			assertThat(perNode.get("node-a")).as("node-a ran some").isPositive();
			assertThat(perNode.get("node-b")).as("node-b ran some").isPositive();
			assertThat(handles).allSatisfy((handle) -> assertThat(handle.status().name()).isEqualTo("SUCCESSFUL"));
		}
	}

	/**
	 * @return the JDBC URL of a new, empty database (or schema) that both nodes share
	 */
	abstract String freshUrl();

	private static ConfigurableApplicationContext node(String url, String name) {
		return new SpringApplicationBuilder(TestTasksApplication.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=" + name,
					"background-tasks.worker.concurrency=4", "spring.datasource.hikari.maximum-pool-size=12")
			.run();
	}

}
