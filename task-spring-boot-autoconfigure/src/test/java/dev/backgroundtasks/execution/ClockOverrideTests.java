package dev.backgroundtasks.execution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClockOverride}: under one, the stores' statements read its instant as now, on every database;
 * without one, their templates and statements are those of production.
 */
class ClockOverrideTests {

	private static final Instant NOW = Instant.parse("2027-03-28T01:00:00.123456Z");

	@DatabaseTest
	void statementsReadTheOverridingInstantAsNow(String database) {
		try (HikariDataSource dataSource = TestDatabases.fresh(database)) {
			AtomicReference<Instant> clock = new AtomicReference<>(NOW);
			DatabaseDialect dialect = DatabaseDialect.of(DatabaseKind.of(dataSource),
					TransactionOperations.withoutTransaction(), clock::get);
			JdbcTemplate jdbc = dialect.jdbcTemplate(dataSource);
			assertThat(new JdbcScheduleStore(jdbc).now()).isEqualTo(NOW);
			OffsetDateTime later = jdbc.queryForObject("SELECT " + ExecutionStatements.LEASE, OffsetDateTime.class, 1500L);
			assertThat(later.toInstant()).isEqualTo(NOW.plusMillis(1500));
			clock.set(NOW.plusSeconds(3600));
			assertThat(new JdbcScheduleStore(jdbc).now()).isEqualTo(NOW.plusSeconds(3600));
		}
	}

	@Test
	void withoutAnOverrideTheTemplatesAreProductionOnes() {
		TransactionOperations transactions = TransactionOperations.withoutTransaction();
		assertThat(DatabaseDialect.of(DatabaseKind.H2, transactions).jdbcTemplate(new HikariDataSource()))
			.isExactlyInstanceOf(JdbcTemplate.class);
		assertThat(DatabaseDialect.of(DatabaseKind.POSTGRESQL, transactions).jdbcTemplate(new HikariDataSource()))
			.isExactlyInstanceOf(JdbcTemplate.class);
		MariaDbJdbcTemplate mariadb = (MariaDbJdbcTemplate) DatabaseDialect.of(DatabaseKind.MARIADB, transactions)
			.jdbcTemplate(new HikariDataSource());
		assertThat(mariadb.translate("SELECT CURRENT_TIMESTAMP")).isEqualTo("SELECT UTC_TIMESTAMP(6)");
	}

	@Test
	void anOverrideReplacesEveryCurrentTimestampWithALiteral() {
		ClockOverrideJdbcTemplate jdbc = new ClockOverrideJdbcTemplate(new HikariDataSource(), () -> NOW);
		assertThat(jdbc.translate("UPDATE t SET a = CURRENT_TIMESTAMP WHERE b <= CURRENT_TIMESTAMP"))
			.isEqualTo("UPDATE t SET a = (TIMESTAMP WITH TIME ZONE '2027-03-28 01:00:00.123456+00:00') WHERE b <= "
					+ "(TIMESTAMP WITH TIME ZONE '2027-03-28 01:00:00.123456+00:00')");
		MariaDbJdbcTemplate mariadb = new MariaDbJdbcTemplate(new HikariDataSource(), () -> NOW);
		assertThat(mariadb.translate("SELECT CURRENT_TIMESTAMP")).isEqualTo("SELECT TIMESTAMP'2027-03-28 01:00:00.123456'");
	}

}
