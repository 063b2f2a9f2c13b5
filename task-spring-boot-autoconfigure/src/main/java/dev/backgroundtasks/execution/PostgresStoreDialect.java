package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL: one statement selects, locks, updates and returns the batch.
 */
public class PostgresStoreDialect implements StoreDialect {

	// The batch is picked in a MATERIALIZED CTE: as an IN (subquery), the planner may scan the subquery
	// more than once, and with SKIP LOCKED each scan can pick other rows, claiming more than the limit.
	private static final String CLAIM = "WITH picked AS MATERIALIZED (SELECT id FROM bgt_execution WHERE "
			+ JdbcExecutionStore.DUE_UNLIMITED + " " + CLAIM_ORDER + " LIMIT ? FOR UPDATE SKIP LOCKED)"
			+ " UPDATE bgt_execution SET " + JdbcExecutionStore.CLAIM_SET
			+ " FROM picked WHERE bgt_execution.id = picked.id AND bgt_execution." + JdbcExecutionStore.CLAIM.guard()
			+ " RETURNING bgt_execution." + JdbcExecutionStore.CLAIMED_COLUMNS.replace(", ", ", bgt_execution.");

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease) {
		return jdbc.query(CLAIM, JdbcExecutionStore.claimed(node), limit, node, lease.toMillis());
	}

	@Override
	public Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions) {
		String values = String.join(", ", Collections.nCopies(completions.size(), "(?, ?, ?, ?)"));
		List<Object> args = new ArrayList<>(completions.size() * 4);
		for (Completion completion : completions) {
			args.add(completion.claim().id());
			args.add(completion.result());
			args.add(completion.claim().node());
			args.add(completion.claim().attempt());
		}
		return new HashSet<>(jdbc.queryForList("UPDATE bgt_execution SET " + JdbcExecutionStore.SUCCEED_SET
				+ ", result = v.result FROM (VALUES " + values + ") AS v (id, result, node, attempt)"
				+ " WHERE bgt_execution.id = CAST(v.id AS uuid) AND bgt_execution." + JdbcExecutionStore.RUNNING_GUARD
				+ " AND bgt_execution.node = v.node AND bgt_execution.attempt = CAST(v.attempt AS integer)"
				+ " RETURNING bgt_execution.id", UUID.class, args.toArray()));
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

	@Override
	public String onActiveKeyConflict() {
		return " ON CONFLICT (task_name, dedup_key) WHERE status IN ('READY', 'RUNNING') AND dedup_key IS NOT NULL"
				+ " DO NOTHING";
	}

}
