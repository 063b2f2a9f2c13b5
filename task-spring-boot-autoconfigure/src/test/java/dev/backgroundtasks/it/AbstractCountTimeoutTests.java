package dev.backgroundtasks.it;

import java.sql.Connection;
import java.sql.SQLException;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A count with a time budget gives up, instead of holding the dashboard's page, when the database does
 * not answer in time: here because another connection holds the table. Run on PostgreSQL and on MariaDB
 * by the subclasses, which lock the table each in its own way.
 */
@SpringBootTest(classes = TestTasksApplication.class, properties = "background-tasks.worker.enabled=false")
abstract class AbstractCountTimeoutTests {

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
			lock(statement);
			long start = System.nanoTime();
			assertThat(this.queries.count(ExecutionFilter.all(), 100, Duration.ofSeconds(1))).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
			unlock(statement);
			blocker.rollback();
		}
		assertThat(this.queries.count(ExecutionFilter.all().withTask("greet"), 100, Duration.ofSeconds(1)))
			.isEqualTo(OptionalLong.of(2));
	}

	/**
	 * Locks {@code bgt_execution} against readers of other connections, in the statement's transaction.
	 * @param statement a statement of a connection without auto-commit
	 */
	abstract void lock(Statement statement) throws SQLException;

	/**
	 * Releases what {@link #lock} took, where a rollback does not.
	 * @param statement the statement that locked
	 */
	abstract void unlock(Statement statement) throws SQLException;

}
