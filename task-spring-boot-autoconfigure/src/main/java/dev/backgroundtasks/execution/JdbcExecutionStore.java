package dev.backgroundtasks.execution;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link ExecutionStore} on plain JDBC: the hot path (insert, claim, outcome) stays a handful of
 * short statements. Through {@link JdbcTemplate} every statement joins the caller's Spring
 * transaction when there is one. The claim is the one statement that differs per database; it comes
 * from a {@link ClaimQuery}.
 */
public class JdbcExecutionStore implements ExecutionStore {

	static final Transition CLAIM = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.RUNNING);

	private static final Transition SUCCEED = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.SUCCESSFUL);

	private static final Transition FAIL = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.FAILED);

	private static final Transition CANCEL = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.CANCELLED);

	private static final String FENCE = " WHERE id = ? AND " + SUCCEED.guard() + " AND node = ? AND attempt = ?";

	private static final int MAX_STACK_TRACE = 64 * 1024;

	private static final int MAX_ERROR_TYPE = 500;

	private final JdbcTemplate jdbc;

	private final ClaimQuery claimQuery;

	public JdbcExecutionStore(JdbcTemplate jdbc, ClaimQuery claimQuery) {
		this.jdbc = jdbc;
		this.claimQuery = claimQuery;
	}

	@Override
	public void insert(NewExecution execution) {
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, priority,"
				+ " created_at, run_at) VALUES (?, ?, '" + TaskStatus.READY.name()
				+ "', ?, ?, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", execution.id(), execution.task(),
				execution.trigger().name(), execution.params());
	}

	@Override
	public List<ClaimedExecution> claim(String node, int limit) {
		return (limit > 0) ? this.claimQuery.claim(this.jdbc, node, limit) : List.of();
	}

	@Override
	public @Nullable ClaimedExecution claim(UUID id, String node) {
		int updated = this.jdbc.update("UPDATE bgt_execution SET " + CLAIM.set()
				+ ", node = ?, attempt = attempt + 1, started_at = CURRENT_TIMESTAMP WHERE id = ? AND " + CLAIM.guard(),
				node, id);
		if (updated == 0) {
			return null;
		}
		return this.jdbc.queryForObject("SELECT task_name, params, attempt FROM bgt_execution WHERE id = ?",
				(rs, row) -> new ClaimedExecution(id, rs.getString(1), rs.getString(2), rs.getInt(3), node), id);
	}

	@Override
	public boolean complete(ClaimedExecution claim, @Nullable String result) {
		return this.jdbc.update(
				"UPDATE bgt_execution SET " + SUCCEED.set() + ", result = ?, finished_at = CURRENT_TIMESTAMP" + FENCE,
				result, claim.id(), claim.node(), claim.attempt()) == 1;
	}

	@Override
	public boolean fail(ClaimedExecution claim, ExecutionError error) {
		return this.jdbc.update("UPDATE bgt_execution SET " + FAIL.set()
				+ ", error_type = ?, error_message = ?, error_stack_trace = ?, finished_at = CURRENT_TIMESTAMP" + FENCE,
				truncate(error.type(), MAX_ERROR_TYPE), error.message(), truncate(error.stackTrace(), MAX_STACK_TRACE),
				claim.id(), claim.node(), claim.attempt()) == 1;
	}

	@Override
	public boolean cancel(UUID id) {
		return this.jdbc.update("UPDATE bgt_execution SET " + CANCEL.set() + ", finished_at = CURRENT_TIMESTAMP"
				+ " WHERE id = ? AND " + CANCEL.guard(), id) == 1;
	}

	@Override
	public @Nullable TaskStatus status(UUID id) {
		List<String> found = this.jdbc.queryForList("SELECT status FROM bgt_execution WHERE id = ?", String.class, id);
		return found.isEmpty() ? null : TaskStatus.valueOf(found.get(0));
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
