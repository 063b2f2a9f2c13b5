package dev.backgroundtasks.execution;

import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Portable claim for databases without {@code UPDATE ... RETURNING} (H2): in one transaction, lock the
 * due ids with {@code FOR UPDATE SKIP LOCKED}, move them to {@code RUNNING} and read them back.
 */
public class SelectForUpdateClaimQuery implements ClaimQuery {

	private static final String SELECT = "SELECT id FROM bgt_execution WHERE " + JdbcExecutionStore.CLAIM.guard()
			+ " AND run_at <= CURRENT_TIMESTAMP " + CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";

	private final TransactionOperations transactions;

	public SelectForUpdateClaimQuery(TransactionOperations transactions) {
		this.transactions = transactions;
	}

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit) {
		List<ClaimedExecution> claimed = this.transactions.execute((status) -> {
			List<UUID> ids = jdbc.queryForList(SELECT, UUID.class, limit);
			if (ids.isEmpty()) {
				return List.<ClaimedExecution>of();
			}
			String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
			Object[] args = new Object[ids.size() + 1];
			args[0] = node;
			for (int i = 0; i < ids.size(); i++) {
				args[i + 1] = ids.get(i);
			}
			jdbc.update("UPDATE bgt_execution SET " + JdbcExecutionStore.CLAIM.set()
					+ ", node = ?, attempt = attempt + 1, started_at = CURRENT_TIMESTAMP WHERE id IN (" + in + ") AND "
					+ JdbcExecutionStore.CLAIM.guard(), args);
			return jdbc.query("SELECT id, task_name, params, attempt FROM bgt_execution WHERE node = ? AND id IN (" + in
					+ ") " + CLAIM_ORDER, (rs, row) -> new ClaimedExecution(rs.getObject(1, UUID.class),
							rs.getString(2), rs.getString(3), rs.getInt(4), node), args);
		});
		return (claimed != null) ? claimed : List.of();
	}

}
