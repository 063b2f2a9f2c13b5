package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A database without {@code UPDATE ... RETURNING} (H2, MariaDB): a claim or a lease extension locks the
 * rows with {@code FOR UPDATE SKIP LOCKED}, then updates them and reads them back, in a transaction of its
 * own.
 */
abstract class LockingDialect implements DatabaseDialect {

	private static final String PICK = "SELECT id FROM bgt_execution WHERE " + ExecutionStatements.DUE_UNLIMITED;

	final TransactionOperations transactions;

	final @Nullable ClockOverride clock;

	LockingDialect(TransactionOperations transactions, @Nullable ClockOverride clock) {
		this.transactions = transactions;
		this.clock = clock;
	}

	@Override
	public JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return (this.clock != null) ? new ClockOverrideJdbcTemplate(dataSource, this.clock)
				: DatabaseDialect.super.jdbcTemplate(dataSource);
	}

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease,
			@Nullable Collection<String> tasks) {
		String pick = PICK + ExecutionStatements.taskFilter(tasks) + " " + CLAIM_ORDER
				+ " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";
		List<ClaimedExecution> claimed = this.transactions.execute((status) -> ExecutionStatements.claimPicked(jdbc,
				jdbc.queryForList(pick, UUID.class, ExecutionStatements.withTasks(limit, tasks)), node, lease));
		return (claimed != null) ? claimed : List.of();
	}

	@Override
	public Set<UUID> extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
		Set<UUID> extended = this.transactions.execute((status) -> {
			List<Object> args = new ArrayList<>(ids);
			args.add(node);
			List<UUID> held = jdbc.queryForList("SELECT id FROM bgt_execution WHERE id IN (" + in + ") AND node = ? AND "
					+ ExecutionStatements.RUNNING_GUARD + " FOR UPDATE SKIP LOCKED", UUID.class, args.toArray());
			if (held.isEmpty()) {
				return Set.<UUID>of();
			}
			List<Object> update = new ArrayList<>(List.of(lease.toMillis()));
			update.addAll(held);
			jdbc.update("UPDATE bgt_execution SET lease_until = " + ExecutionStatements.LEASE + " WHERE id IN ("
					+ String.join(", ", Collections.nCopies(held.size(), "?")) + ")", update.toArray());
			return Set.copyOf(held);
		});
		return (extended != null) ? extended : Set.of();
	}

}
