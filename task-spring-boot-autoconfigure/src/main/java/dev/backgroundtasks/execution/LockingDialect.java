package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A database without {@code UPDATE ... RETURNING} (H2, MariaDB): a claim or a lease extension locks the
 * rows with {@code FOR UPDATE SKIP LOCKED}, then updates them and reads them back, in a transaction of its
 * own.
 */
abstract class LockingDialect implements DatabaseDialect {

	private static final String PICK = "SELECT id FROM bgt_execution WHERE " + ExecutionStatements.DUE_UNLIMITED + " "
			+ CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";

	final TransactionOperations transactions;

	LockingDialect(TransactionOperations transactions) {
		this.transactions = transactions;
	}

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease) {
		List<ClaimedExecution> claimed = this.transactions
			.execute((status) -> ExecutionStatements.claimPicked(jdbc, jdbc.queryForList(PICK, UUID.class, limit),
					node, lease));
		return (claimed != null) ? claimed : List.of();
	}

	@Override
	public int extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease) {
		if (ids.isEmpty()) {
			return 0;
		}
		String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
		Integer extended = this.transactions.execute((status) -> {
			List<Object> args = new ArrayList<>(ids);
			args.add(node);
			List<UUID> held = jdbc.queryForList("SELECT id FROM bgt_execution WHERE id IN (" + in + ") AND node = ? AND "
					+ ExecutionStatements.RUNNING_GUARD + " FOR UPDATE SKIP LOCKED", UUID.class, args.toArray());
			if (held.isEmpty()) {
				return 0;
			}
			List<Object> update = new ArrayList<>(List.of(lease.toMillis()));
			update.addAll(held);
			return jdbc.update("UPDATE bgt_execution SET lease_until = " + ExecutionStatements.LEASE + " WHERE id IN ("
					+ String.join(", ", Collections.nCopies(held.size(), "?")) + ")", update.toArray());
		});
		return (extended != null) ? extended : 0;
	}

}
