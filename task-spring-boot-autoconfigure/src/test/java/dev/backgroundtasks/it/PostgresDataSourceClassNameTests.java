package dev.backgroundtasks.it;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.postgres.PostgresWakeUpListener;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose Hikari pool is set up by {@code dataSourceClassName} (no JDBC URL), polling only once a
 * minute, listens on a connection of its own outside the pool, so another node's submission wakes it.
 */
@PostgresTest
class PostgresDataSourceClassNameTests {

	private static final Duration WELL_BEFORE_THE_POLL = Duration.ofSeconds(10);

	@Test
	void aPoolSetUpByDataSourceClassNameGetsWakeUps() {
		String url = PostgresTestDatabase.freshSchemaUrl();
		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(TestTasksApplication.class,
				ClassNameDataSource.class)
			.web(WebApplicationType.NONE)
			.run("--test.url=" + url, "--background-tasks.database.platform=postgresql",
					"--background-tasks.node-name=class-name-node", "--background-tasks.worker.poll-interval=60s");
				ConfigurableApplicationContext submitter = new SpringApplicationBuilder(TestTasksApplication.class)
					.web(WebApplicationType.NONE)
					.run("--spring.datasource.url=" + url, "--background-tasks.node-name=submitting-node",
							"--background-tasks.worker.enabled=false")) {
			HikariDataSource pool = worker.getBean(HikariDataSource.class);
			assertThat(pool.getJdbcUrl()).isNull();
			PostgresWakeUpListener listener = worker.getBean(PostgresWakeUpListener.class);
			await().atMost(WELL_BEFORE_THE_POLL).until(listener::isListening);
			JdbcTemplate jdbc = new JdbcTemplate(submitter.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
					Integer.class, "bgt-listener class-name-node"))
				.as("listening connections named for the node")
				.isOne();

			TaskHandle handle = submitter.getBean(TaskClient.class).submit("greet", Map.of("name", "class name"));
			await().atMost(WELL_BEFORE_THE_POLL).until(() -> handle.status() == TaskStatus.SUCCESSFUL);
			assertThat(handle.execution().node()).isEqualTo("class-name-node");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ClassNameDataSource {

		@Bean
		HikariDataSource dataSource(Environment environment) throws SQLException {
			Properties url = Driver.parseURL(environment.getRequiredProperty("test.url"), null);
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setDataSourceClassName(PGSimpleDataSource.class.getName());
			dataSource.addDataSourceProperty("serverName", url.getProperty("PGHOST"));
			// As from a properties file: a string, converted as Hikari converts it.
			dataSource.addDataSourceProperty("portNumber", url.getProperty("PGPORT"));
			dataSource.addDataSourceProperty("databaseName", url.getProperty("PGDBNAME"));
			dataSource.addDataSourceProperty("user", url.getProperty("user"));
			if (url.getProperty("password") != null) {
				dataSource.addDataSourceProperty("password", url.getProperty("password"));
			}
			dataSource.addDataSourceProperty("currentSchema", url.getProperty("currentSchema"));
			dataSource.setMaximumPoolSize(4);
			return dataSource;
		}

	}

}
