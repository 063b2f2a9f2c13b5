package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * MariaDB 10.7+, which has {@code FOR UPDATE SKIP LOCKED} but no {@code UPDATE ... RETURNING}: in one
 * transaction, lock the due ids, move them to {@code RUNNING} and read them back, as on H2. Its SQL
 * differs from the other databases' in spelling too: {@link MariaDbJdbcTemplate} translates that, so
 * every store runs the same statements everywhere.
 * <p>
 * A clash with a unique index fails only its statement on MariaDB (InnoDB rolls back the statement, not
 * the transaction), so inserts need no clause and the store catches the duplicate, as on H2.
 */
public class MariaDbDialect extends LockingDialect {


	private static final String COMPLETE = "UPDATE bgt_execution SET " + ExecutionStatements.SUCCEED_SET
			+ ", result = ? WHERE id = ? AND " + ExecutionStatements.RUNNING_GUARD + " AND node = ? AND attempt = ?";

	public MariaDbDialect(TransactionOperations transactions) {
		super(transactions);
	}

	@Override
	public JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return new MariaDbJdbcTemplate(dataSource);
	}

	/**
	 * Locks the rows first and writes only those still held by the attempt: MariaDB's driver may answer a
	 * batch without a count per row, so the counts alone cannot tell which outcomes were written.
	 */
	@Override
	public Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions) {
		Set<UUID> written = this.transactions.execute((status) -> {
			List<Object> ids = new ArrayList<>(completions.stream().map((completion) -> completion.claim().id()).toList());
			Set<String> held = new HashSet<>(jdbc.query("SELECT id, node, attempt FROM bgt_execution WHERE id IN ("
					+ String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND " + ExecutionStatements.RUNNING_GUARD
					+ " FOR UPDATE", (rs, row) -> rs.getObject(1, UUID.class) + "/" + rs.getString(2) + "/" + rs.getInt(3),
					ids.toArray()));
			List<Completion> fenced = completions.stream()
				.filter((completion) -> held.contains(completion.claim().id() + "/" + completion.claim().node() + "/"
						+ completion.claim().attempt()))
				.toList();
			if (!fenced.isEmpty()) {
				jdbc.batchUpdate(COMPLETE, fenced.stream()
					.map((completion) -> new Object[] { completion.result(), completion.claim().id(),
							completion.claim().node(), completion.claim().attempt() })
					.toList());
			}
			return fenced.stream().map((completion) -> completion.claim().id()).collect(Collectors.toSet());
		});
		return (written != null) ? written : Set.of();
	}

	@Override
	public String onConflictDoNothing(UniqueKey key) {
		return "";
	}

	@Override
	public String upsertTaskState() {
		return "INSERT INTO bgt_task_state (task_name, enabled, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)"
				+ " ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), updated_at = VALUES(updated_at)";
	}

	private static final String ADD_STATISTICS = "INSERT INTO bgt_stats_minute ("
			+ String.join(", ", JdbcStatsStore.COLUMNS) + ") VALUES ("
			+ String.join(", ", Collections.nCopies(JdbcStatsStore.COLUMNS.size(), "?")) + ") ON DUPLICATE KEY UPDATE "
			+ JdbcStatsStore.COUNTERS.stream()
				.map((column) -> column + " = " + column + " + VALUES(" + column + ")")
				.collect(Collectors.joining(", "))
			+ ", pickup_max_micros = GREATEST(pickup_max_micros, VALUES(pickup_max_micros))";

	@Override
	public String addStatistics() {
		return ADD_STATISTICS;
	}

	@Override
	public DatabaseKind kind() {
		return DatabaseKind.MARIADB;
	}

}
