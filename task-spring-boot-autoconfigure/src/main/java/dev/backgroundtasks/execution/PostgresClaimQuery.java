package dev.backgroundtasks.execution;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL: one statement selects, locks, updates and returns the batch.
 */
public class PostgresClaimQuery implements ClaimQuery {

	// The batch is picked in a MATERIALIZED CTE: as an IN (subquery), the planner may scan the subquery
	// more than once, and with SKIP LOCKED each scan can pick other rows, claiming more than the limit.
	private static final String SQL = "WITH picked AS MATERIALIZED (SELECT id FROM bgt_execution WHERE "
			+ JdbcExecutionStore.CLAIM.guard() + " AND run_at <= CURRENT_TIMESTAMP " + CLAIM_ORDER
			+ " LIMIT ? FOR UPDATE SKIP LOCKED) UPDATE bgt_execution e SET " + JdbcExecutionStore.CLAIM.set()
			+ ", node = ?, attempt = e.attempt + 1, started_at = CURRENT_TIMESTAMP FROM picked WHERE e.id = picked.id"
			+ " AND e." + JdbcExecutionStore.CLAIM.guard() + " RETURNING e.id, e.task_name, e.params, e.attempt";

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit) {
		return jdbc.query(SQL, (rs, row) -> new ClaimedExecution(rs.getObject(1, UUID.class), rs.getString(2),
				rs.getString(3), rs.getInt(4), node), limit, node);
	}

}
