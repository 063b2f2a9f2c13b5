package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import javax.sql.DataSource;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A count with a time budget gives up, instead of holding the dashboard's page, when the database does
 * not answer in time: here because another transaction holds the table.
 */
@PostgresTest
@SpringBootTest(classes = TestTasksApplication.class, properties = "background-tasks.worker.enabled=false")
class PostgresCountTimeoutTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.freshSchemaUrl();
		registry.add("spring.datasource.url", () -> url);
	}

	@Autowired
	ExecutionQueries queries;

	@Autowired
	TaskClient tasks;

	@Autowired
	DataSource dataSource;

	@Test
	void aCountThatTakesTooLongIsUnknown() throws Exception {
		this.tasks.submit("greet", Map.of("name", "a"));
		this.tasks.submit("greet", Map.of("name", "b"));
		assertThat(this.queries.count(ExecutionFilter.all(), 100, Duration.ofSeconds(1))).isEqualTo(OptionalLong.of(2));
		try (Connection blocker = this.dataSource.getConnection(); Statement statement = blocker.createStatement()) {
			blocker.setAutoCommit(false);
			statement.execute("LOCK TABLE bgt_execution IN ACCESS EXCLUSIVE MODE");
			long start = System.nanoTime();
			assertThat(this.queries.count(ExecutionFilter.all(), 100, Duration.ofSeconds(1))).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
			blocker.rollback();
		}
		assertThat(this.queries.count(ExecutionFilter.all().withTask("greet"), 100, Duration.ofSeconds(1)))
			.isEqualTo(OptionalLong.of(2));
	}

}
