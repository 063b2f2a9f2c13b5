package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The pieces of SQL that the stores and every dialect share: the guards and assignments of the claim
 * and of success (from the one transition table), lease arithmetic in database time, the fence of an
 * attempt, and reading claimed rows back. Portable across the supported databases.
 */
final class ExecutionStatements {

	static final Transition CLAIM = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.RUNNING);

	static final Transition SUCCEED = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.SUCCESSFUL);

	static final String LEASE = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	static final String AGO = "CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

	static final String CLAIM_SET = claimSet("CURRENT_TIMESTAMP");

	static final String DUE = CLAIM.guard() + " AND run_at <= CURRENT_TIMESTAMP";

	static final String RUNNING_GUARD = SUCCEED.guard();

	static final String SUCCEED_SET = SUCCEED.set() + ", error_type = NULL, error_message = NULL,"
			+ " error_stack_trace = NULL, finished_at = CURRENT_TIMESTAMP, lease_until = NULL";

	static final String DUE_UNLIMITED = DUE + " AND max_concurrency = 0";

	static final String CLAIMED_COLUMNS = "id, task_name, params, attempt, max_attempts, created_at, run_at, started_at,"
			+ " fire_time, trace_context, claim_token, batch_id";

	/**
	 * The fence of the end of an attempt: the row is still {@code RUNNING} under the same claim. Binds the
	 * id, then {@link #fence(ClaimedExecution)}.
	 */
	static final String FENCE = " WHERE id = ? AND " + SUCCEED.guardById() + " AND node = ? AND claim_token = ?";

	/**
	 * The number of the attempt a claim starts: the next one, or the same again after an attempt that was
	 * given back without counting ({@code reuse_attempt}). Comes before {@code reuse_attempt = FALSE} in a
	 * {@code SET}: MariaDB assigns from left to right.
	 */
	static final String NEXT_ATTEMPT = "attempt + CASE WHEN reuse_attempt THEN 0 ELSE 1 END";

	private ExecutionStatements() {
	}

	/**
	 * @param startedAt the start time to write: {@code CURRENT_TIMESTAMP}, or {@code ?} bound after the node
	 * @return the assignments of a claim; binds the node (and the start time), then the lease in ms
	 */
	static String claimSet(String startedAt) {
		// The cancel flag stays: a request made while an earlier attempt ran is never lost with it.
		return CLAIM.set() + ", node = ?, attempt = " + NEXT_ATTEMPT + ", reuse_attempt = FALSE,"
				+ " claim_token = claim_token + 1, started_at = " + startedAt + ", lease_until = " + LEASE;
	}

	/**
	 * @param claim a claim
	 * @param before values bound before the fence
	 * @return the values, then what {@link #FENCE} binds: the id, the node and the claim token
	 */
	static Object[] fenced(ClaimedExecution claim, Object... before) {
		List<Object> args = new ArrayList<>(Arrays.asList(before));
		args.add(claim.id());
		args.add(claim.node());
		args.add(claim.claimToken());
		return args.toArray();
	}

	/**
	 * @param tasks the tasks whose executions a claim may take, or {@code null} for any
	 * @return a condition to append to the claim's {@code WHERE}: {@code task_name IN (...)}, with a mark per
	 * task, or nothing
	 */
	static String taskFilter(@Nullable Collection<String> tasks) {
		return (tasks != null) ? " AND task_name IN (" + String.join(", ", Collections.nCopies(tasks.size(), "?")) + ")"
				: "";
	}

	/**
	 * @return the tasks of {@link #taskFilter} (when given), then the limit: the values a claim's pick binds
	 */
	static Object[] withTasks(int limit, @Nullable Collection<String> tasks) {
		List<Object> args = (tasks != null) ? new ArrayList<>(tasks) : new ArrayList<>();
		args.add(limit);
		return args.toArray();
	}

	/**
	 * Moves picked (and locked) ids to {@code RUNNING} for the node and reads them back, in the caller's
	 * transaction.
	 */
	static List<ClaimedExecution> claimPicked(JdbcTemplate jdbc, List<UUID> ids, String node, Duration lease) {
		if (ids.isEmpty()) {
			return List.of();
		}
		String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
		List<Object> args = new ArrayList<>(List.of(node, lease.toMillis()));
		args.addAll(ids);
		jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id IN (" + in + ") AND " + CLAIM.guard(),
				args.toArray());
		List<Object> read = new ArrayList<>(List.of(node));
		read.addAll(ids);
		return jdbc.query("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE node = ? AND " + SUCCEED.guard()
				+ " AND id IN (" + in + ") " + DatabaseDialect.CLAIM_ORDER, claimed(node), read.toArray());
	}

	static RowMapper<ClaimedExecution> claimed(String node) {
		return (rs, row) -> {
			Instant createdAt = instant(rs.getObject(6, OffsetDateTime.class));
			Instant runAt = instant(rs.getObject(7, OffsetDateTime.class));
			Instant readyAt = (createdAt != null && runAt != null && createdAt.isAfter(runAt)) ? createdAt : runAt;
			return new ClaimedExecution(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
					node, rs.getInt(5), readyAt, instant(rs.getObject(8, OffsetDateTime.class)),
					instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10), rs.getLong(11),
					rs.getObject(12, UUID.class));
		};
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
