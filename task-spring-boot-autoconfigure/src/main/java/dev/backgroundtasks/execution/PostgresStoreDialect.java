package dev.backgroundtasks.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * PostgreSQL: one statement selects, locks, updates and returns the batch; one statement inserts a batch
 * from arrays.
 */
public class PostgresStoreDialect implements StoreDialect {

	// The batch is picked in a MATERIALIZED CTE: as an IN (subquery), the planner may scan the subquery
	// more than once, and with SKIP LOCKED each scan can pick other rows, claiming more than the limit.
	private static final String CLAIM = "WITH picked AS MATERIALIZED (SELECT id FROM bgt_execution WHERE "
			+ JdbcExecutionStore.DUE_UNLIMITED + " " + CLAIM_ORDER + " LIMIT ? FOR UPDATE SKIP LOCKED)"
			+ " UPDATE bgt_execution SET " + JdbcExecutionStore.CLAIM_SET
			+ " FROM picked WHERE bgt_execution.id = picked.id AND bgt_execution." + JdbcExecutionStore.CLAIM.guard()
			+ " RETURNING bgt_execution." + JdbcExecutionStore.CLAIMED_COLUMNS.replace(", ", ", bgt_execution.");

	/**
	 * Rows per batch insert: arrays have no bind limit, this only bounds the size of one message.
	 */
	static final int INSERT_ROWS = 5_000;

	/**
	 * One array per column: the text never changes, so the statement stays prepared however many rows it
	 * completes. The rows are found by id: the guard cannot pick the partial index of RUNNING rows (see
	 * {@link ExecutionTransitions.Transition#guardById()}), which custom plans chose on every batch.
	 */
	static final String COMPLETE_ALL = "UPDATE bgt_execution SET " + JdbcExecutionStore.SUCCEED_SET
			+ ", result = v.result FROM unnest(?::uuid[], ?::text[], ?::varchar[], ?::int4[]) AS v (id, result, node, attempt)"
			+ " WHERE bgt_execution.id = v.id AND bgt_execution." + JdbcExecutionStore.SUCCEED.guardById()
			+ " AND bgt_execution.node = v.node AND bgt_execution.attempt = v.attempt RETURNING bgt_execution.id";

	private static final String INSERT_ALL = "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params,"
			+ " attempt, max_attempts, max_concurrency, priority, retry_of, trace_context, created_at, run_at)"
			+ " SELECT v.id, v.task_name, 'READY', v.trigger_type, v.params, 0, v.max_attempts, v.max_concurrency,"
			+ " v.priority, v.retry_of, v.trace_context, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM unnest("
			+ "CAST(? AS uuid[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS text[]), CAST(? AS integer[]),"
			+ " CAST(? AS integer[]), CAST(? AS integer[]), CAST(? AS uuid[]), CAST(? AS varchar[]))"
			+ " AS v (id, task_name, trigger_type, params, max_attempts, max_concurrency, priority, retry_of,"
			+ " trace_context)";

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease) {
		return jdbc.query(CLAIM, JdbcExecutionStore.claimed(node), limit, node, lease.toMillis());
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
		Object[] attempts = new Object[rows];
		for (int i = 0; i < rows; i++) {
			Completion completion = completions.get(i);
			ids[i] = completion.claim().id();
			results[i] = completion.result();
			nodes[i] = completion.claim().node();
			attempts[i] = completion.claim().attempt();
		}
		Connection connection = statement.getConnection();
		statement.setArray(1, connection.createArrayOf("uuid", ids));
		statement.setArray(2, connection.createArrayOf("text", results));
		statement.setArray(3, connection.createArrayOf("varchar", nodes));
		statement.setArray(4, connection.createArrayOf("int4", attempts));
	}

	@Override
	public int extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease) {
		if (ids.isEmpty()) {
			return 0;
		}
		List<Object> args = new ArrayList<>(ids);
		args.add(node);
		args.add(lease.toMillis());
		return jdbc.update("WITH held AS MATERIALIZED (SELECT id FROM bgt_execution WHERE id IN ("
				+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND node = ? AND "
				+ JdbcExecutionStore.RUNNING_GUARD + " FOR UPDATE SKIP LOCKED) UPDATE bgt_execution SET lease_until = "
				+ JdbcExecutionStore.LEASE + " FROM held WHERE bgt_execution.id = held.id", args.toArray());
	}

	/**
	 * A batch of one task from one submission: everything but the id (and the params, when they differ)
	 * is the same for every row, so only those go in arrays, which both sides encode element by element.
	 */
	static final String INSERT_ALIKE = "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params,"
			+ " attempt, max_attempts, max_concurrency, priority, trace_context, created_at, run_at)"
			+ " SELECT v.id, ?, 'READY', ?, COALESCE(v.params, ?), 0, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
			+ " FROM unnest(CAST(? AS uuid[]), CAST(? AS text[])) AS v (id, params)";

	@Override
	public void insertAll(JdbcTemplate jdbc, List<NewExecution> executions) {
		for (int from = 0; from < executions.size(); from += INSERT_ROWS) {
			List<NewExecution> chunk = executions.subList(from, Math.min(from + INSERT_ROWS, executions.size()));
			if (alike(chunk)) {
				jdbc.update(INSERT_ALIKE, (statement) -> bindAlike(statement, chunk));
			}
			else {
				jdbc.update(INSERT_ALL, (statement) -> bindColumns(statement, chunk));
			}
		}
	}

	/**
	 * @return whether the executions differ in nothing but their ids and params
	 */
	private static boolean alike(List<NewExecution> chunk) {
		NewExecution first = chunk.get(0);
		for (NewExecution execution : chunk) {
			if (!execution.task().equals(first.task()) || execution.trigger() != first.trigger()
					|| execution.maxAttempts() != first.maxAttempts()
					|| execution.maxConcurrency() != first.maxConcurrency() || execution.priority() != first.priority()
					|| execution.retryOf() != null || !Objects.equals(execution.traceContext(), first.traceContext())) {
				return false;
			}
		}
		return true;
	}

	private static void bindAlike(PreparedStatement statement, List<NewExecution> chunk) throws SQLException {
		NewExecution first = chunk.get(0);
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
		statement.setString(1, first.task());
		statement.setString(2, first.trigger().name());
		statement.setString(3, first.params());
		statement.setInt(4, first.maxAttempts());
		statement.setInt(5, first.maxConcurrency());
		statement.setInt(6, first.priority());
		statement.setString(7, first.traceContext());
		statement.setArray(8, connection.createArrayOf("uuid", ids));
		statement.setArray(9, connection.createArrayOf("text", params));
	}

	private static void bindColumns(PreparedStatement statement, List<NewExecution> chunk) throws SQLException {
		int rows = chunk.size();
		Object[] ids = new Object[rows];
		Object[] tasks = new Object[rows];
		Object[] triggers = new Object[rows];
		Object[] params = new Object[rows];
		Object[] maxAttempts = new Object[rows];
		Object[] maxConcurrency = new Object[rows];
		Object[] priorities = new Object[rows];
		Object[] retryOf = new Object[rows];
		Object[] traceContexts = new Object[rows];
		for (int i = 0; i < rows; i++) {
			NewExecution execution = chunk.get(i);
			ids[i] = execution.id();
			tasks[i] = execution.task();
			triggers[i] = execution.trigger().name();
			params[i] = execution.params();
			maxAttempts[i] = execution.maxAttempts();
			maxConcurrency[i] = execution.maxConcurrency();
			priorities[i] = execution.priority();
			retryOf[i] = execution.retryOf();
			traceContexts[i] = execution.traceContext();
		}
		Connection connection = statement.getConnection();
		statement.setArray(1, connection.createArrayOf("uuid", ids));
		statement.setArray(2, connection.createArrayOf("varchar", tasks));
		statement.setArray(3, connection.createArrayOf("varchar", triggers));
		statement.setArray(4, connection.createArrayOf("text", params));
		statement.setArray(5, connection.createArrayOf("int4", maxAttempts));
		statement.setArray(6, connection.createArrayOf("int4", maxConcurrency));
		statement.setArray(7, connection.createArrayOf("int4", priorities));
		statement.setArray(8, connection.createArrayOf("uuid", retryOf));
		statement.setArray(9, connection.createArrayOf("varchar", traceContexts));
	}

	@Override
	public String onActiveKeyConflict() {
		return " ON CONFLICT (task_name, dedup_key) WHERE status IN ('READY', 'RUNNING') AND dedup_key IS NOT NULL"
				+ " DO NOTHING";
	}

}
