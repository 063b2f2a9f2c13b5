package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first page of each listing reads an index, not the whole table, on a table of 200,000 rows
 * shaped like a busy one: twenty tasks and a rare one, a backlog of READY rows and a few RUNNING ones
 * at the newest end, one failure in a hundred, keys, submitters, four nodes and one that ran only the
 * oldest rows, triggers from common (CODE) to rare (RETRY). Both in the plan PostgreSQL makes for the
 * values (custom) and in the generic plan it may keep for a statement prepared on a connection.
 * <p>
 * What no index serves, and is not listed here: a filter on node, submitter or trigger alone reads the
 * primary key newest first until it has a page, so a value found only in old rows, or in one row of
 * ten thousand (RETRY: PostgreSQL then reads the whole table and sorts), takes as long as the table
 * is large, unless a time range bounds it; so does any combination that matches no row (a task that
 * never failed, with status FAILED). Counts up to a limit may read the whole table when fewer rows
 * match than the limit.
 */
@PostgresTest
class PostgresListingPlanTests {

	private static final int ROWS = 200_000;

	private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * The most rows a first page may read: a quarter of the table. The primary key read newest first
	 * finds a page after about {@code 20 / share} rows, however large the table: 39,000 rows for the
	 * failures of one task here (a task in twenty, a failure in a hundred).
	 */
	private static final long MOST_READ = ROWS / 4;

	/** The most rows a first page may sort: a page comes in id order from an index, but RUNNING rows. */
	private static final long MOST_SORTED = 1_000;

	private static HikariDataSource dataSource;

	@BeforeAll
	static void busyTable() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(PostgresTestDatabase.freshSchemaUrl());
		dataSource.setMaximumPoolSize(2);
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.POSTGRESQL).afterPropertiesSet();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.update("""
				INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, max_attempts,
				    max_concurrency, priority, node, created_at, run_at, started_at, finished_at, lease_until,
				    dedup_key, submitted_by)
				SELECT (lpad(to_hex(ms), 12, '0') || '7' || lpad(to_hex(i % 4096), 3, '0') || '8'
				        || lpad(to_hex(i), 15, '0'))::uuid,
				    CASE WHEN i % 20000 = 7 THEN 'rare' ELSE 'task-' || (i % 20) END, status, trigger_type, '{}',
				    1, 1, 0, 0,
				    CASE WHEN status = 'READY' THEN NULL WHEN i < ? / 10 AND i % 4 = 0 THEN 'node-old'
				        ELSE 'node-' || (i % 4) END,
				    to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0),
				    CASE WHEN status IN ('READY', 'RUNNING') THEN NULL ELSE to_timestamp(ms / 1000.0) END,
				    CASE WHEN status = 'RUNNING' THEN now() + INTERVAL '1' HOUR END,
				    CASE WHEN i % 10 = 3 THEN 'order-' || i END,
				    CASE WHEN i % 5 = 1 THEN 'user-' || (i % 50) END
				FROM (SELECT i, ? + i * 8 AS ms,
				        CASE WHEN i > ? - 2000 AND i % 100 = 0 THEN 'RUNNING' WHEN i > ? - 2000 THEN 'READY'
				            WHEN i % 97 = 3 THEN 'FAILED' WHEN i % 499 = 11 THEN 'CANCELLED' ELSE 'SUCCESSFUL' END
				            AS status,
				        CASE WHEN i % 50 = 0 THEN 'SCHEDULE' WHEN i % 10000 = 1 THEN 'RETRY' WHEN i % 10 = 2 THEN 'API'
				            ELSE 'CODE' END AS trigger_type
				    FROM generate_series(1, ?) AS i) rows
				""", ROWS, BASE.toEpochMilli(), ROWS, ROWS, ROWS);
		// Statistics from every row, not from a random sample of 30,000 of them: the same plans each run.
		jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET default_statistics_target = 1000");
				statement.execute("VACUUM ANALYZE bgt_execution");
			}
			return null;
		});
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	static Stream<Arguments> listings() {
		ExecutionFilter all = ExecutionFilter.all();
		Instant middle = BASE.plusMillis(ROWS * 4L);
		List<Arguments> listings = new ArrayList<>();
		listings.add(listing(all, "bgt_execution_pkey"));
		listings.add(listing(all.withTask("task-3"), "bgt_execution_running_idx"));
		listings.add(listing(all.withTask("rare"), "bgt_execution_task_idx"));
		listings.add(listing(all.withTasks(Set.of("rare", "task-3", "task-4")), "bgt_execution_task_idx"));
		for (TaskStatus status : TaskStatus.values()) {
			listings.add(listing(all.withStatus(status), null));
			listings.add(listing(all.withTask("task-3").withStatus(status), null));
			listings.add(listing(all.withTasks(Set.of("rare", "task-3")).withStatus(status), null));
		}
		listings.add(listing(all.withStatus(TaskStatus.RUNNING), "bgt_execution_running_idx"));
		listings.add(listing(all.withTask("rare").withStatus(TaskStatus.FAILED), "bgt_execution_task_idx"));
		listings.add(listing(all.withKey("order-13"), "bgt_execution_key_idx"));
		listings.add(listing(all.withKey("order-" + (ROWS - 7)), "bgt_execution_active_key_idx"));
		listings.add(listing(all.withKey("order-13").withTask("task-13"), "bgt_execution_key_idx"));
		listings.add(listing(all.withKey("order-13").withTasks(Set.of("task-3", "task-13")), "bgt_execution_key_idx"));
		listings.add(listing(all.withKey("order-13").withStatus(TaskStatus.SUCCESSFUL), "bgt_execution_key_idx"));
		listings.add(listing(all.withKey("order-" + (ROWS - 7)).withStatus(TaskStatus.READY),
				"bgt_execution_active_key_idx"));
		listings.add(listing(all.withNode("node-1"), null));
		listings.add(listing(all.withNode("node-1").withStatus(TaskStatus.RUNNING), "bgt_execution_running_idx"));
		listings.add(listing(all.withSubmittedBy("user-1"), null));
		listings.add(listing(all.withTrigger(TaskTrigger.API), null));
		listings.add(listing(all.withTrigger(TaskTrigger.SCHEDULE), null));
		listings.add(listing(all.withFrom(middle), "bgt_execution_pkey"));
		listings.add(listing(all.withTo(middle), "bgt_execution_pkey"));
		listings.add(listing(all.withFrom(middle).withTo(middle.plusSeconds(60)), "bgt_execution_pkey"));
		listings.add(listing(all.withTask("rare").withFrom(BASE).withTo(middle), "bgt_execution_task_idx"));
		listings.add(listing(all.withTask("task-3").withNode("node-3"), null));
		listings.add(listing(all.withTask("task-2").withTrigger(TaskTrigger.API), null));
		listings.add(listing(all.withTask("task-1").withSubmittedBy("user-1"), null));
		listings.add(listing(all.withStatus(TaskStatus.FAILED).withFrom(BASE).withTo(middle), "bgt_execution_pkey"));
		listings.add(listing(all.withTrigger(TaskTrigger.RETRY).withFrom(middle).withTo(middle.plusSeconds(60)),
				"bgt_execution_pkey"));
		return listings.stream();
	}

	static Stream<Arguments> listingsAfterACursor() {
		ExecutionFilter readyAlone = ExecutionFilter.all().withStatus(TaskStatus.READY);
		return listings().filter((arguments) -> !readyAlone.equals(arguments.get()[0]));
	}

	private static Arguments listing(ExecutionFilter filter, @Nullable String expected) {
		return Arguments.of(filter, expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("listings")
	void theFirstPageReadsAnIndex(ExecutionFilter filter, @Nullable String index) throws SQLException {
		readsAnIndex(ExecutionListing.of(filter).rows(0, 20), index);
	}

	/**
	 * A page after a cursor in the middle of the table, as {@code GET /executions?before=} reads it (one
	 * row more than the page, to tell whether another follows), reads no more than the first page: the
	 * cursor bounds the index each part reads. All but {@code READY} alone: here every READY row is newer
	 * than the cursor, so none is older, and PostgreSQL, which expects them spread over the table (one in
	 * a hundred), reads the primary key from the cursor to the oldest row, as for a value found in no
	 * row (the last page of any walk over a rare value ends so too).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("listingsAfterACursor")
	void aPageAfterACursorReadsAnIndex(ExecutionFilter filter, @Nullable String index) throws SQLException {
		UUID cursor = new JdbcTemplate(dataSource).queryForObject(
				"SELECT id FROM bgt_execution ORDER BY id OFFSET " + (ROWS / 2) + " LIMIT 1", UUID.class);
		readsAnIndex(ExecutionListing.of(filter, cursor).rows(0, 21), index);
	}

	private static void readsAnIndex(ExecutionListing.Statement rows, @Nullable String index) throws SQLException {
		for (boolean generic : new boolean[] { false, true }) {
			JsonNode plan = explain(rows, generic).get(0).get("Plan");
			String description = (generic ? "generic" : "custom") + " plan " + plan.toPrettyString();
			List<JsonNode> nodes = new ArrayList<>();
			collect(plan, nodes);
			List<JsonNode> scans = nodes.stream()
				.filter((node) -> "bgt_execution".equals(node.path("Relation Name").asString()))
				.toList();
			assertThat(scans).as(description).noneMatch((scan) -> scan.path("Node Type").asString().equals("Seq Scan"));
			assertThat(scans.stream().mapToLong(PostgresListingPlanTests::rowsRead).sum()).as(description)
				.isLessThanOrEqualTo(MOST_READ);
			nodes.stream()
				.filter((node) -> node.path("Node Type").asString().equals("Sort"))
				.forEach((sort) -> assertThat(rowsRead(sort.get("Plans").get(0))).as("rows sorted, " + description)
					.isLessThanOrEqualTo(MOST_SORTED));
			if (index != null) {
				assertThat(nodes).as(description).anyMatch((node) -> node.path("Index Name").asString().equals(index));
			}
		}
	}

	private static void collect(JsonNode node, List<JsonNode> nodes) {
		nodes.add(node);
		node.path("Plans").forEach((child) -> collect(child, nodes));
	}

	/**
	 * @return the rows a node read: those it returned and those its filter removed, in all its loops
	 */
	private static long rowsRead(JsonNode node) {
		return (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong())
				* node.path("Actual Loops").asLong();
	}

	/**
	 * Plans the listing, runs it and returns the plan with what each node read. An EXPLAIN of a statement
	 * with bound values always plans for them: the generic plan is that of a prepared statement,
	 * executed with {@code plan_cache_mode} forcing it.
	 * @param generic whether to plan for any values, as for a statement prepared on a connection, or for
	 * the bound ones
	 */
	private static JsonNode explain(ExecutionListing.Statement listing, boolean generic) throws SQLException {
		String sql = listing.sql();
		if (generic) {
			for (int i = 1; sql.contains("?"); i++) {
				sql = sql.replaceFirst("\\?", "\\$" + i);
			}
		}
		// EXECUTE inside EXPLAIN takes no bound values: literals, each a string or a uuid.
		String values = listing.args().stream().map((arg) -> "'" + arg.toString().replace("'", "''") + "'")
			.collect(Collectors.joining(", "));
		try (Connection connection = dataSource.getConnection(); Statement settings = connection.createStatement()) {
			if (generic) {
				settings.execute("SET plan_cache_mode = force_generic_plan");
				settings.execute("PREPARE listing AS " + sql);
			}
			try (PreparedStatement statement = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) "
					+ (generic ? "EXECUTE listing" + (values.isEmpty() ? "" : "(" + values + ")") : sql))) {
				for (int i = 0; !generic && i < listing.args().size(); i++) {
					statement.setObject(i + 1, listing.args().get(i));
				}
				try (ResultSet rows = statement.executeQuery()) {
					rows.next();
					return JSON.readTree(rows.getString(1));
				}
			}
			finally {
				if (generic) {
					settings.execute("DEALLOCATE listing");
					settings.execute("RESET plan_cache_mode");
				}
			}
		}
	}

}
