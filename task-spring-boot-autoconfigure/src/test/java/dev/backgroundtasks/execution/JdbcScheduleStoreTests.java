package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.it.PostgresTestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcScheduleStore} and {@link JdbcTaskStateStore} on H2, and on PostgreSQL when it
 * is available: each tick is stored once, and runtime states upsert.
 */
class JdbcScheduleStoreTests {

	static Stream<Arguments> databases() {
		Stream<Arguments> h2 = Stream.of(Arguments.of("H2", "jdbc:h2:mem:schedule-" + UUID.randomUUID()
				+ ";DB_CLOSE_DELAY=-1"));
		String postgres = System.getenv("BGT_TEST_JDBC_URL");
		return (postgres == null || postgres.isBlank()) ? h2
				: Stream.concat(h2, Stream.of(Arguments.of("PostgreSQL", PostgresTestDatabase.freshSchemaUrl())));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void storesEachTickOnceAndReadsItBack(String name, String url) {
		try (HikariDataSource dataSource = dataSource(url)) {
			JdbcScheduleStore store = new JdbcScheduleStore(new JdbcTemplate(dataSource));
			ExecutionStore executions = executionStore(dataSource);
			Instant now = store.now();
			assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
			Instant fireTime = Instant.parse("2026-05-01T10:00:00Z");
			assertThat(store.latestFireTime("report", "every PT1S")).isNull();
			assertThat(executions.insertScheduled(tick("every PT1S", fireTime))).isTrue();
			assertThat(executions.insertScheduled(tick("every PT1S", fireTime))).as("same tick").isFalse();
			assertThat(executions.insertScheduled(tick("cron @daily UTC", fireTime))).isTrue();
			assertThat(executions.insertScheduled(tick("every PT1S", fireTime.plusSeconds(1)))).isTrue();
			assertThat(store.latestFireTime("report", "every PT1S")).isEqualTo(fireTime.plusSeconds(1));
			assertThat(store.exists("report", "every PT1S", fireTime)).isTrue();
			assertThat(store.exists("report", "every PT1S", fireTime.plusSeconds(2))).isFalse();
			assertThat(store.hasActiveExecution("report")).isTrue();
			assertThat(store.hasActiveExecution("other")).isFalse();
			assertThat(new JdbcTemplate(dataSource).queryForObject(
					"SELECT COUNT(*) FROM bgt_execution WHERE trigger_type = 'SCHEDULE' AND status = 'READY'",
					Integer.class)).isEqualTo(3);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void upsertsRuntimeStates(String name, String url) {
		try (HikariDataSource dataSource = dataSource(url)) {
			JdbcTaskStateStore store = new JdbcTaskStateStore(new JdbcTemplate(dataSource),
					DatabaseDialect.of(DatabaseKind.of(dataSource), new TransactionTemplate(
							new DataSourceTransactionManager(dataSource))));
			assertThat(store.disabledTasks()).isEmpty();
			store.setEnabled("report", false);
			store.setEnabled("digest", false);
			store.setEnabled("report", false);
			assertThat(store.disabledTasks()).containsExactlyInAnyOrder("report", "digest");
			store.setEnabled("report", true);
			assertThat(store.disabledTasks()).containsExactly("digest");
		}
	}

	private static HikariDataSource dataSource(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		migrate(dataSource);
		return dataSource;
	}

	private static void migrate(DataSource dataSource) {
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.of(dataSource)).afterPropertiesSet();
	}

	private static NewExecution tick(String scheduleId, Instant fireTime) {
		return NewExecution.scheduled(UUID.randomUUID(), "report", scheduleId, fireTime, 1, 0);
	}

	private static ExecutionStore executionStore(DataSource dataSource) {
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		return new JdbcExecutionStore(new JdbcTemplate(dataSource),
				DatabaseDialect.of(DatabaseKind.of(dataSource), transactions), transactions, transactions, () -> true);
	}

}
