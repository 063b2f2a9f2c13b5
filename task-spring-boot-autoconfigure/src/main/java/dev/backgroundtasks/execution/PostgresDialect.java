package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import dev.backgroundtasks.execution.ExecutionColumns.Column;
import dev.backgroundtasks.execution.ExecutionColumns.Start;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * PostgreSQL: one statement selects, locks, updates and returns the batch; one statement inserts a batch
 * from arrays.
 */
public class PostgresDialect implements DatabaseDialect {

	private final @Nullable ClockOverride clock;

	public PostgresDialect() {
		this(null);
	}

	/**
	 * @param clock the time statements take as now instead of the database's, or {@code null}
	 */
	public PostgresDialect(@Nullable ClockOverride clock) {
		this.clock = clock;
	}

	@Override
	public JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return (this.clock != null) ? new ClockOverrideJdbcTemplate(dataSource, this.clock)
				: DatabaseDialect.super.jdbcTemplate(dataSource);
	}

	// The batch is picked in a MATERIALIZED CTE: as an IN (subquery), the planner may scan the subquery
	// more than once, and with SKIP LOCKED each scan can pick other rows, claiming more than the limit.
	static final String CLAIM = claim("");

	/**
	 * A claim of the executions of given tasks only, bound as one array: the text does not depend on how
	 * many.
	 */
	static final String CLAIM_OF_TASKS = claim(" AND task_name = ANY (CAST(? AS varchar[]))");

	// The update finds the picked rows by id (guardById): with the plain guard the planner may match the
	// partial claim index and read every READY row, and rows it left since the last vacuum, on each claim
	// (767 ms a claim with a backlog in the soak). RETURNING keeps no order: the outer SELECT restores the
	// claim's.
	private static String claim(String filter) {
		return "WITH picked AS MATERIALIZED (SELECT id, priority AS picked_priority, run_at AS picked_run_at"
				+ " FROM bgt_execution WHERE "
				+ ExecutionStatements.DUE_UNLIMITED + filter + " " + CLAIM_ORDER + " LIMIT ? FOR UPDATE SKIP LOCKED),"
				+ " claimed AS (UPDATE bgt_execution SET " + ExecutionStatements.CLAIM_SET
				+ " FROM picked WHERE bgt_execution.id = picked.id AND bgt_execution."
				+ ExecutionStatements.CLAIM.guardById() + " RETURNING bgt_execution."
				+ ExecutionStatements.CLAIMED_COLUMNS.replace(", ", ", bgt_execution.")
				+ ", picked.picked_priority, picked.picked_run_at)" + " SELECT "
				+ ExecutionStatements.CLAIMED_COLUMNS + " FROM claimed ORDER BY picked_priority DESC, picked_run_at, id";
	}

	/**
	 * Rows per batch insert: arrays have no bind limit, this only bounds the size of one message.
	 */
	static final int INSERT_ROWS = 5_000;

	/**
	 * One array per column: the text never changes, so the statement stays prepared however many rows it
	 * completes. The rows are found by id: the guard cannot pick the partial index of RUNNING rows (see
	 * {@link ExecutionTransitions.Transition#guardById()}), which custom plans chose on every batch.
	 */
	static final String COMPLETE_ALL = "UPDATE bgt_execution SET " + ExecutionStatements.SUCCEED_SET
			+ ", result = v.result FROM unnest(?::uuid[], ?::text[], ?::varchar[], ?::int8[]) AS v (id, result, node, token)"
			+ " WHERE bgt_execution.id = v.id AND bgt_execution." + ExecutionStatements.SUCCEED.guardById()
			+ " AND bgt_execution.node = v.node AND bgt_execution.claim_token = v.token RETURNING bgt_execution.id";

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease,
			@Nullable Collection<String> tasks) {
		if (tasks == null) {
			return jdbc.query(CLAIM, ExecutionStatements.claimed(node), limit, node, lease.toMillis());
		}
		return jdbc.query(CLAIM_OF_TASKS, (statement) -> {
			statement.setArray(1, statement.getConnection().createArrayOf("varchar", tasks.toArray()));
			statement.setInt(2, limit);
			statement.setString(3, node);
			statement.setLong(4, lease.toMillis());
		}, ExecutionStatements.claimed(node));
	}

	@Override
	public Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions) {
		// One statement (atomic without a transaction) whose text does not depend on the batch size, so
		// the server plans it once per connection.
		Set<UUID> written = new HashSet<>();
		RowCallbackHandler collect = (row) -> written.add(row.getObject(1, UUID.class));
		jdbc.query(COMPLETE_ALL, (statement) -> bindCompletions(statement, completions), collect);
		return written;
	}

	private static void bindCompletions(PreparedStatement statement, List<Completion> completions) throws SQLException {
		int rows = completions.size();
		Object[] ids = new Object[rows];
		Object[] results = new Object[rows];
		Object[] nodes = new Object[rows];
		Object[] tokens = new Object[rows];
		for (int i = 0; i < rows; i++) {
			Completion completion = completions.get(i);
			ids[i] = completion.claim().id();
			results[i] = completion.result();
			nodes[i] = completion.claim().node();
			tokens[i] = completion.claim().claimToken();
		}
		Connection connection = statement.getConnection();
		statement.setArray(1, connection.createArrayOf("uuid", ids));
		statement.setArray(2, connection.createArrayOf("text", results));
		statement.setArray(3, connection.createArrayOf("varchar", nodes));
		statement.setArray(4, connection.createArrayOf("int8", tokens));
	}

	@Override
	public Set<UUID> extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		List<Object> args = new ArrayList<>(ids);
		args.add(node);
		args.add(lease.toMillis());
		return Set.copyOf(jdbc.queryForList("WITH held AS MATERIALIZED (SELECT id FROM bgt_execution WHERE id IN ("
				+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND node = ? AND "
				+ ExecutionStatements.RUNNING_GUARD + " FOR UPDATE SKIP LOCKED) UPDATE bgt_execution SET lease_until = "
				+ ExecutionStatements.LEASE + " FROM held WHERE bgt_execution.id = held.id RETURNING bgt_execution.id",
				UUID.class, args.toArray()));
	}

	/**
	 * A batch whose rows differ only in id and params (one task from one submission): every other column
	 * is bound once, and the params equal to the first row's are NULL in their array.
	 */
	static final String INSERT_ALIKE = "INSERT INTO bgt_execution (" + ExecutionColumns.ALL + ") SELECT "
			+ ExecutionColumns.BOUND.stream()
				.map((column) -> switch (column.name()) {
					case "id" -> "v.id";
					case "params" -> "COALESCE(v.params, CAST(? AS text))";
					default -> "CAST(? AS " + column.arrayType() + ")";
				})
				.collect(Collectors.joining(", "))
			+ ", " + Start.READY_NOW.sql() + " FROM unnest(CAST(? AS uuid[]), CAST(? AS text[])) AS v (id, params)";

	/**
	 * Any batch: one array per column.
	 */
	private static final String INSERT_COLUMNS = "INSERT INTO bgt_execution (" + ExecutionColumns.ALL + ") SELECT "
			+ ExecutionColumns.BOUND.stream().map((column) -> "v." + column.name()).collect(Collectors.joining(", "))
			+ ", " + Start.READY_NOW.sql() + " FROM unnest("
			+ ExecutionColumns.BOUND.stream()
				.map((column) -> "CAST(? AS " + column.arrayType() + "[])")
				.collect(Collectors.joining(", "))
			+ ") AS v (" + ExecutionColumns.BOUND.stream().map(Column::name).collect(Collectors.joining(", ")) + ")";

	@Override
	public int insertAllStatements(int rows) {
		return Math.max(1, (rows + INSERT_ROWS - 1) / INSERT_ROWS);
	}

	@Override
	public void insertAll(JdbcTemplate jdbc, List<NewExecution> executions) {
		for (int from = 0; from < executions.size(); from += INSERT_ROWS) {
			List<NewExecution> chunk = executions.subList(from, Math.min(from + INSERT_ROWS, executions.size()));
			if (alike(chunk)) {
				jdbc.update(INSERT_ALIKE, (statement) -> bindAlike(statement, chunk));
			}
			else {
				jdbc.update(INSERT_COLUMNS, (statement) -> bindColumns(statement, chunk));
			}
		}
	}

	/**
	 * @return whether the executions differ in nothing but their ids and params
	 */
	private static boolean alike(List<NewExecution> chunk) {
		NewExecution first = chunk.get(0);
		for (Column column : ExecutionColumns.BOUND) {
			if (column.name().equals("id") || column.name().equals("params")) {
				continue;
			}
			Object value = column.value(first);
			for (NewExecution execution : chunk) {
				if (!Objects.equals(column.value(execution), value)) {
					return false;
				}
			}
		}
		return true;
	}

	private static void bindAlike(PreparedStatement statement, List<NewExecution> chunk) throws SQLException {
		NewExecution first = chunk.get(0);
		int index = 1;
		for (Column column : ExecutionColumns.BOUND) {
			if (!column.name().equals("id")) {
				statement.setObject(index++, column.value(first));
			}
		}
		int rows = chunk.size();
		Object[] ids = new Object[rows];
		// Params equal to the first row's are sent once, as NULL in the array.
		Object[] params = new Object[rows];
		for (int i = 0; i < rows; i++) {
			NewExecution execution = chunk.get(i);
			ids[i] = execution.id();
			params[i] = execution.params().equals(first.params()) ? null : execution.params();
		}
		Connection connection = statement.getConnection();
		statement.setArray(index++, connection.createArrayOf("uuid", ids));
		statement.setArray(index, connection.createArrayOf("text", params));
	}

	private static void bindColumns(PreparedStatement statement, List<NewExecution> chunk) throws SQLException {
		Connection connection = statement.getConnection();
		int index = 1;
		for (Column column : ExecutionColumns.BOUND) {
			Object[] values = new Object[chunk.size()];
			for (int i = 0; i < values.length; i++) {
				values[i] = column.value(chunk.get(i));
			}
			statement.setArray(index++, connection.createArrayOf(column.arrayType(), values));
		}
	}

	@Override
	public String onConflictDoNothing(UniqueKey key) {
		return switch (key) {
			case ACTIVE_KEY -> " ON CONFLICT (task_name, dedup_key) WHERE status IN ('READY', 'RUNNING')"
					+ " AND dedup_key IS NOT NULL DO NOTHING";
			case SCHEDULE_TICK -> " ON CONFLICT (task_name, schedule_id, fire_time) WHERE schedule_id IS NOT NULL"
					+ " DO NOTHING";
		};
	}

	@Override
	public String upsertTaskState() {
		return "INSERT INTO bgt_task_state (task_name, enabled, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)"
				+ " ON CONFLICT (task_name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at";
	}

	/**
	 * Adds to the row's counts when it exists; a node only writes its own rows, one writer at a time.
	 */
	private static final String ADD_STATISTICS = "INSERT INTO bgt_stats_minute ("
			+ String.join(", ", JdbcStatsStore.COLUMNS) + ") VALUES ("
			+ String.join(", ", Collections.nCopies(JdbcStatsStore.COLUMNS.size(), "?"))
			+ ") ON CONFLICT (minute_start, node, task_name) DO UPDATE SET "
			+ JdbcStatsStore.COUNTERS.stream()
				.map((column) -> column + " = bgt_stats_minute." + column + " + EXCLUDED." + column)
				.collect(Collectors.joining(", "))
			+ ", pickup_max_micros = GREATEST(bgt_stats_minute.pickup_max_micros, EXCLUDED.pickup_max_micros)";

	@Override
	public String addStatistics() {
		return ADD_STATISTICS;
	}

	@Override
	public DatabaseKind kind() {
		return DatabaseKind.POSTGRESQL;
	}

}
