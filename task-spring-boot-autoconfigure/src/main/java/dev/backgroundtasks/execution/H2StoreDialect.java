package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * H2, which has no {@code UPDATE ... RETURNING}: in one transaction, lock the due ids with {@code FOR
 * UPDATE SKIP LOCKED}, move them to {@code RUNNING} and read them back.
 */
public class H2StoreDialect implements StoreDialect {

	private static final String PICK = "SELECT id FROM bgt_execution WHERE " + JdbcExecutionStore.DUE_UNLIMITED + " "
			+ CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";

	private final TransactionOperations transactions;

	public H2StoreDialect(TransactionOperations transactions) {
		this.transactions = transactions;
	}

	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease) {
		List<ClaimedExecution> claimed = this.transactions
			.execute((status) -> JdbcExecutionStore.claimPicked(jdbc, jdbc.queryForList(PICK, java.util.UUID.class, limit),
					node, lease));
		return (claimed != null) ? claimed : List.of();
	}

	@Override
	public String onActiveKeyConflict() {
		return "";
	}

}
