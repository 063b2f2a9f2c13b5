package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * H2, which has no {@code UPDATE ... RETURNING}: in one transaction, lock the due ids with {@code FOR
 * UPDATE SKIP LOCKED}, move them to {@code RUNNING} and read them back.
 */
public class H2Dialect extends LockingDialect {


	public H2Dialect(TransactionOperations transactions) {
		this(transactions, null);
	}

	/**
	 * @param transactions transactions the engine starts for itself
	 * @param clock the time statements take as now instead of the database's, or {@code null}
	 */
	public H2Dialect(TransactionOperations transactions, @Nullable ClockOverride clock) {
		super(transactions, clock);
	}

	@Override
	public Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions) {
		int[] updated = this.transactions.execute((status) -> jdbc.batchUpdate("UPDATE bgt_execution SET " + ExecutionStatements.SUCCEED_SET
				+ ", result = ?" + ExecutionStatements.FENCE,
				completions.stream()
					.map((completion) -> ExecutionStatements.fenced(completion.claim(), completion.result()))
					.toList()));
		Set<UUID> written = new HashSet<>();
		if (updated == null) {
			return written;
		}
		for (int i = 0; i < updated.length; i++) {
			if (updated[i] == 1) {
				written.add(completions.get(i).claim().id());
			}
		}
		return written;
	}

	@Override
	public String onConflictDoNothing(UniqueKey key) {
		// A duplicate key fails only its statement on H2, not the transaction: the store catches it.
		return "";
	}

	@Override
	public String upsertTaskState() {
		return "MERGE INTO bgt_task_state (task_name, enabled, updated_at) KEY (task_name) VALUES (?, ?, CURRENT_TIMESTAMP)";
	}

	/**
	 * H2 has no {@code ON CONFLICT ... DO UPDATE}: a standard {@code MERGE}, whose source row is typed by
	 * casts (H2 cannot tell the type of a bare parameter in {@code VALUES}).
	 */
	private static final String ADD_STATISTICS = "MERGE INTO bgt_stats_minute t USING (VALUES ("
			+ JdbcStatsStore.COLUMNS.stream().map(H2Dialect::typed).collect(Collectors.joining(", ")) + ")) AS s ("
			+ String.join(", ", JdbcStatsStore.COLUMNS)
			+ ") ON t.minute_start = s.minute_start AND t.node = s.node AND t.task_name = s.task_name"
			+ " WHEN MATCHED THEN UPDATE SET "
			+ JdbcStatsStore.COUNTERS.stream()
				.map((column) -> column + " = t." + column + " + s." + column)
				.collect(Collectors.joining(", "))
			+ ", pickup_max_micros = GREATEST(t.pickup_max_micros, s.pickup_max_micros)"
			+ " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", JdbcStatsStore.COLUMNS) + ") VALUES ("
			+ JdbcStatsStore.COLUMNS.stream().map((column) -> "s." + column).collect(Collectors.joining(", ")) + ")";

	private static String typed(String column) {
		return switch (column) {
			case "minute_start" -> "CAST(? AS TIMESTAMP WITH TIME ZONE)";
			case "node", "task_name" -> "CAST(? AS VARCHAR(200))";
			default -> "CAST(? AS BIGINT)";
		};
	}

	@Override
	public String addStatistics() {
		return ADD_STATISTICS;
	}

	@Override
	public DatabaseKind kind() {
		return DatabaseKind.H2;
	}

}
