package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements that end attempts find their rows through the primary key, also in the plans
 * PostgreSQL makes for the actual values (custom plans), while the statistics say that no row is
 * RUNNING: the partial index of RUNNING rows looks cheapest then, and reading it costs as many entries
 * as rows ran since the last vacuum. The table is large enough (50,000 rows) that a scan of it is no
 * choice either. The capped status counts of the dashboard read the index of each status, never the
 * table. Claims of limited tasks find the due partitions and pick each one's next executions through the
 * partial index of READY limited rows. The claim's update finds the picked rows by key, also on a table
 * analyzed while the queue was empty or never analyzed.
 */
@PostgresTest
class PostgresStatementPlanTests {

	private static HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private List<ClaimedExecution> claims;

	@BeforeAll
	static void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(PostgresTestDatabase.freshSchemaUrl());
		dataSource.setMaximumPoolSize(2);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@BeforeEach
	void claimAfterAnalyzingWhileNothingRuns() {
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.POSTGRESQL).afterPropertiesSet();
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.update("DELETE FROM bgt_execution");
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		JdbcExecutionStore store = new JdbcExecutionStore(this.jdbc, new PostgresDialect(), transactions, transactions,
				() -> true);
		List<NewExecution> executions = new ArrayList<>();
		for (UUID id : ExecutionIds.next(50_000)) {
			executions.add(NewExecution.of(id, "noop", TaskTrigger.CODE, "{}"));
		}
		store.insertAll(executions);
		this.jdbc.execute("ANALYZE bgt_execution");
		this.claims = store.claim("n1", 100, Duration.ofSeconds(30));
		assertThat(this.claims).hasSize(100);
	}

	@Test
	void batchCompletionLooksRowsUpByPrimaryKey() throws SQLException {
		List<String> plan = explain(PostgresDialect.COMPLETE_ALL, (statement) -> {
			Connection connection = statement.getConnection();
			statement.setArray(1, connection.createArrayOf("uuid", this.claims.stream().map(ClaimedExecution::id).toArray()));
			statement.setArray(2, connection.createArrayOf("text", new Object[this.claims.size()]));
			statement.setArray(3, connection.createArrayOf("varchar", this.claims.stream().map(ClaimedExecution::node).toArray()));
			statement.setArray(4, connection.createArrayOf("int4", this.claims.stream().map(ClaimedExecution::attempt).toArray()));
		});
		assertThat(String.join("\n", plan)).contains("bgt_execution_pkey").doesNotContain("bgt_execution_running_idx");
	}

	@Test
	void fencedOutcomeLooksTheRowUpByPrimaryKey() throws SQLException {
		ClaimedExecution claim = this.claims.get(0);
		List<String> plan = explain("UPDATE bgt_execution SET status = 'FAILED'" + ExecutionStatements.FENCE, (statement) -> {
			statement.setObject(1, claim.id());
			statement.setString(2, claim.node());
			statement.setInt(3, claim.attempt());
		});
		assertThat(String.join("\n", plan)).contains("bgt_execution_pkey").doesNotContain("bgt_execution_running_idx");
	}

	@Test
	void cappedStatusCountsReadTheIndexOfEachStatus() throws SQLException {
		// Mostly finished rows, as retention keeps them: without an order, a limit on a common status looks
		// cheapest as a sequential scan that stops early, while the table's newest rows are not vacuumed.
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, created_at, run_at,"
				+ " finished_at) SELECT gen_random_uuid(), 'noop', CASE WHEN i % 50 = 0 THEN 'FAILED' WHEN i % 100 = 1"
				+ " THEN 'CANCELLED' ELSE 'SUCCESSFUL' END, 'CODE', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
				+ " CURRENT_TIMESTAMP FROM generate_series(1, 300000) i");
		this.jdbc.execute("ANALYZE bgt_execution");
		assertThat(statusCountsPlan()).doesNotContain("Seq Scan")
			.contains("bgt_execution_claim_idx", "bgt_execution_running_idx", "bgt_execution_finished_idx");
		this.jdbc.execute("VACUUM ANALYZE bgt_execution");
		assertThat(statusCountsPlan()).doesNotContain("Seq Scan")
			.contains("bgt_execution_claim_idx", "bgt_execution_running_idx", "bgt_execution_finished_idx");
	}

	@Test
	void limitedClaimsFindAndPickPartitionsThroughTheIndexOfLimitedRows() throws SQLException {
		// 20,000 READY rows of a task limited per partition (100 partitions), beside the 50,000 unlimited ones.
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, created_at, run_at,"
				+ " max_concurrency, partition_key) SELECT gen_random_uuid(), 'sync', 'READY', 'CODE', '{}',"
				+ " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2, '\"c' || (i % 100) || '\"' FROM generate_series(1, 20000) i");
		this.jdbc.execute("ANALYZE bgt_execution");
		assertThat(String.join("\n", explain(DuePartitions.SKIP_SCAN, (statement) -> {
		}))).doesNotContain("Seq Scan").contains("bgt_execution_limited_idx");
		assertThat(String.join("\n", explain("SELECT id FROM bgt_execution WHERE " + ExecutionStatements.DUE
				+ " AND max_concurrency > 0 AND task_name = ? AND partition_key = ? " + DatabaseDialect.CLAIM_ORDER
				+ " FETCH FIRST ? ROWS ONLY", (statement) -> {
					statement.setString(1, "sync");
					statement.setString(2, "\"c7\"");
					statement.setInt(3, 2);
				}))).doesNotContain("Seq Scan").doesNotContain("Sort").contains("bgt_execution_limited_idx");
	}

	@ParameterizedTest(name = "analyzed while the queue was empty: {0}")
	@ValueSource(booleans = { false, true })
	void claimUpdatesThePickedRowsByKey(boolean analyzedWhileEmpty) throws SQLException {
		// A table not analyzed since it was empty, or never (a new database, or autovacuum off), whose
		// claim index holds the entries of 50,000 rows run since (not vacuumed), and a backlog of 20,000:
		// with the plain guard the update went through the claim index again, reading every READY row.
		try (HikariDataSource fresh = new HikariDataSource()) {
			fresh.setJdbcUrl(PostgresTestDatabase.freshSchemaUrl());
			fresh.setMaximumPoolSize(2);
			new ExecutionSchemaInitializer(fresh, DatabaseKind.POSTGRESQL).afterPropertiesSet();
			JdbcTemplate jdbc = new JdbcTemplate(fresh);
			String insert = "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, created_at, run_at)"
					+ " SELECT gen_random_uuid(), 'noop', 'READY', 'CODE', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
					+ " FROM generate_series(1, ?) i";
			jdbc.update(insert, 50_000);
			jdbc.update("UPDATE bgt_execution SET status = 'SUCCESSFUL', finished_at = CURRENT_TIMESTAMP");
			if (analyzedWhileEmpty) {
				// Statistics of an empty queue: the partial claim index looks like the cheapest way to the
				// few READY rows, for the update too.
				jdbc.execute("ANALYZE bgt_execution");
			}
			jdbc.update(insert, 20_000);
			assertThat(String.join("\n", explain(fresh, PostgresDialect.CLAIM, (statement) -> {
				statement.setInt(1, 100);
				statement.setString(2, "n1");
				statement.setLong(3, 30_000);
			})))
				// The update finds the picked rows by their key, not through the claim index again.
				.contains("Index Scan using bgt_execution_pkey")
				.containsOnlyOnce("bgt_execution_claim_idx");
			assertThat(String.join("\n", explain(fresh, PostgresDialect.CLAIM_OF_TASKS,
					(statement) -> {
						statement.setArray(1, statement.getConnection().createArrayOf("varchar", new Object[] { "noop" }));
						statement.setInt(2, 100);
						statement.setString(3, "n1");
						statement.setLong(4, 30_000);
					})))
				.contains("Index Scan using bgt_execution_pkey")
				.containsOnlyOnce("bgt_execution_claim_idx");
		}
	}

	private static String statusCountsPlan() throws SQLException {
		return String.join("\n", explain(ExecutionStatistics.statusCountsStatement(10_000), (statement) -> {
		}));
	}

	/**
	 * The plan for the bound values: an unnamed statement is planned for its parameters.
	 */
	private static List<String> explain(String sql, Binder binder) throws SQLException {
		return explain(dataSource, sql, binder);
	}

	private static List<String> explain(DataSource source, String sql, Binder binder) throws SQLException {
		try (Connection connection = source.getConnection();
				PreparedStatement statement = connection.prepareStatement("EXPLAIN " + sql)) {
			binder.bind(statement);
			List<String> plan = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					plan.add(rows.getString(1));
				}
			}
			return plan;
		}
	}

	@FunctionalInterface
	private interface Binder {

		void bind(PreparedStatement statement) throws SQLException;

	}

}
