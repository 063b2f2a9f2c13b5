package dev.backgroundtasks.execution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * MariaDB 10.7+, which has {@code FOR UPDATE SKIP LOCKED} but no {@code UPDATE ... RETURNING}: in one
 * transaction, lock the due ids, move them to {@code RUNNING} and read them back, as on H2. Its SQL
 * differs from the other databases' in spelling too: {@link MariaDbJdbcTemplate} translates that, so
 * every store runs the same statements everywhere.
 * <p>
 * An insert that may clash with a unique index changes nothing on a clash, and never aborts the caller's
 * transaction (see {@link #insertUnlessDuplicate}).
 */
public class MariaDbDialect extends LockingDialect {

	private static final Log logger = LogFactory.getLog(MariaDbDialect.class);


	/**
	 * How long an insert that may clash waits for another caller's insert of the same unique value: more
	 * than InnoDB's default lock wait (50 s), which bounds the wait of the one caller under the lock.
	 */
	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

	private static final String PICK = "SELECT id, task_name, params, " + ExecutionStatements.NEXT_ATTEMPT
			+ ", max_attempts, created_at, run_at, fire_time, trace_context, CURRENT_TIMESTAMP, claim_token + 1,"
			+ " batch_id FROM bgt_execution WHERE " + ExecutionStatements.DUE_UNLIMITED;

	/**
	 * @param transactions transactions the engine starts for itself; when they are a
	 * {@link TransactionTemplate}, its own claims, completions and lease extensions run at READ COMMITTED
	 * (see {@link #ownTransactions})
	 */
	public MariaDbDialect(TransactionOperations transactions) {
		this(transactions, null);
	}

	/**
	 * @param transactions transactions the engine starts for itself, as for {@link #MariaDbDialect(TransactionOperations)}
	 * @param clock the time statements take as now instead of the database's, or {@code null}
	 */
	public MariaDbDialect(TransactionOperations transactions, @Nullable ClockOverride clock) {
		super(readCommitted(transactions), clock);
	}

	/**
	 * The engine's own transactions run at READ COMMITTED. At InnoDB's default REPEATABLE READ, the
	 * locking reads of a claim (and of completions, lease extensions and recovery) lock the gaps between the index records they scan, among them the end of the READY
	 * rows where every submission inserts: submitters wait on the claim, and deadlock with it. At READ
	 * COMMITTED they lock the rows they return only. Joining a caller's transaction keeps the caller's
	 * level.
	 */
	@Override
	public TransactionOperations ownTransactions(TransactionOperations transactions) {
		return readCommitted(transactions);
	}

	private static TransactionOperations readCommitted(TransactionOperations transactions) {
		if (transactions instanceof TransactionTemplate template && template.getTransactionManager() != null) {
			TransactionTemplate readCommitted = new TransactionTemplate(template.getTransactionManager(), template);
			readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
			return readCommitted;
		}
		return transactions;
	}

	@Override
	public JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return new MariaDbJdbcTemplate(dataSource, this.clock);
	}

	/**
	 * Reads what the node needs while it locks the rows, then moves them in one statement: two statements
	 * where the other locking databases read the rows back in a third. The rows are locked and READY when
	 * read (READ COMMITTED reads the latest committed row to lock it), so the update moves them all.
	 */
	@Override
	public List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease,
			@Nullable Collection<String> tasks) {
		String pick = PICK + ExecutionStatements.taskFilter(tasks) + " " + CLAIM_ORDER + " LIMIT ? FOR UPDATE SKIP LOCKED";
		List<ClaimedExecution> claimed = this.transactions.execute((status) -> {
			List<ClaimedExecution> picked = jdbc.query(pick, (rs, row) -> {
				Instant createdAt = rs.getObject(6, OffsetDateTime.class).toInstant();
				Instant runAt = rs.getObject(7, OffsetDateTime.class).toInstant();
				OffsetDateTime fireTime = rs.getObject(8, OffsetDateTime.class);
				return new ClaimedExecution(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
						node, rs.getInt(5), createdAt.isAfter(runAt) ? createdAt : runAt,
						rs.getObject(10, OffsetDateTime.class).toInstant(), (fireTime != null) ? fireTime.toInstant() : null,
						rs.getString(9), rs.getLong(11), rs.getObject(12, UUID.class));
			}, ExecutionStatements.withTasks(limit, tasks));
			if (picked.isEmpty()) {
				return picked;
			}
			List<Object> args = new ArrayList<>(List.of(node, picked.get(0).startedAt(), lease.toMillis()));
			picked.forEach((claim) -> args.add(claim.id()));
			int moved = jdbc.update("UPDATE bgt_execution SET " + ExecutionStatements.claimSet("?") + " WHERE id IN ("
					+ String.join(", ", Collections.nCopies(picked.size(), "?")) + ") AND "
					+ ExecutionStatements.CLAIM.guard(), args.toArray());
			if (moved != picked.size()) {
				throw new IllegalStateException("Claimed " + moved + " of the " + picked.size() + " executions locked");
			}
			return picked;
		});
		return (claimed != null) ? claimed : List.of();
	}

	/**
	 * Locks the rows first and writes those still held by their claim (node and attempt) in one
	 * statement: the count of a statement cannot tell which rows it wrote, and a batch of one statement per
	 * row costs a round trip each on MariaDB's driver.
	 */
	@Override
	public Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions) {
		if (completions.isEmpty()) {
			return Set.of();
		}
		Set<UUID> written = this.transactions.execute((status) -> {
			List<Object> ids = new ArrayList<>(completions.stream().map((completion) -> completion.claim().id()).toList());
			String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
			// By the primary key: for a batch of most RUNNING rows MariaDB would scan the status index
			// instead, locking (and waiting on) other nodes' RUNNING rows.
			Set<String> held = new HashSet<>(jdbc.query("SELECT id, node, claim_token FROM bgt_execution FORCE INDEX (PRIMARY)"
					+ " WHERE id IN (" + in
					+ ") AND " + ExecutionStatements.RUNNING_GUARD + " FOR UPDATE",
					(rs, row) -> rs.getObject(1, UUID.class) + "/" + rs.getString(2) + "/" + rs.getLong(3), ids.toArray()));
			List<Completion> fenced = completions.stream()
				.filter((completion) -> held.contains(completion.claim().id() + "/" + completion.claim().node() + "/"
						+ completion.claim().claimToken()))
				.toList();
			if (fenced.isEmpty()) {
				return Set.<UUID>of();
			}
			List<Object> args = new ArrayList<>();
			fenced.forEach((completion) -> {
				args.add(completion.claim().id());
				args.add(completion.result());
			});
			fenced.forEach((completion) -> args.add(completion.claim().id()));
			jdbc.update("UPDATE bgt_execution SET " + ExecutionStatements.SUCCEED_SET + ", result = CASE id "
					+ String.join(" ", Collections.nCopies(fenced.size(), "WHEN ? THEN ?")) + " END WHERE id IN ("
					+ String.join(", ", Collections.nCopies(fenced.size(), "?")) + ")", args.toArray());
			return fenced.stream().map((completion) -> completion.claim().id()).collect(Collectors.toSet());
		});
		return (written != null) ? written : Set.of();
	}

	@Override
	public String onConflictDoNothing(UniqueKey key) {
		return "";
	}

	/**
	 * Inserts under a named lock ({@code GET_LOCK}) on the unique value, held until the transaction ends,
	 * then catches the duplicate, which rolls back the statement only. So a caller never waits on another
	 * caller's uncommitted row: it sees the value committed (a duplicate at once) or absent. Without the
	 * lock, callers waiting on an uncommitted holder of the value deadlock in InnoDB's index locks (with
	 * the holder's next insert into the same index, or with each other when the holder rolls back; plain
	 * inserts and {@code ON DUPLICATE KEY UPDATE} alike), and InnoDB rolls back the loser's whole
	 * transaction.
	 */
	@Override
	public boolean insertUnlessDuplicate(JdbcTemplate jdbc, UniqueKey key, String insert, Object[] args, UUID id) {
		// In the caller's transaction, or one of its own: the lock, the insert and the release on one
		// connection.
		Boolean inserted = this.transactions.execute((status) -> {
			String lock = lockName(key, args);
			Integer locked = jdbc.queryForObject("SELECT GET_LOCK(?, ?)", Integer.class, lock, LOCK_TIMEOUT.toSeconds());
			if (locked == null || locked != 1) {
				throw new QueryTimeoutException("Waited " + LOCK_TIMEOUT.toSeconds() + " s to store execution " + id
						+ ": another transaction has held the same " + key + " all that time");
			}
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int outcome) {
					release(jdbc, lock);
				}

			});
			return super.insertUnlessDuplicate(jdbc, key, insert, args, id);
		});
		return Boolean.TRUE.equals(inserted);
	}

	/**
	 * Releases a named lock on the connection of the transaction that just ended, still bound to the
	 * thread. A lock left behind would make every later insert of its value wait out the lock timeout: the
	 * connection goes back to the pool, not away.
	 */
	private static void release(JdbcTemplate jdbc, String lock) {
		try {
			jdbc.queryForObject("SELECT RELEASE_LOCK(?)", Integer.class, lock);
		}
		catch (RuntimeException ex) {
			logger.error("Could not release the named lock " + lock + "; inserts of its value will wait for it", ex);
		}
	}

	/**
	 * @return a lock name (at most 64 characters) for the unique value an insert's arguments hold: the
	 * task name and the key or the schedule and fire time, hashed
	 */
	private static String lockName(UniqueKey key, Object[] args) {
		StringBuilder value = new StringBuilder(key.name());
		for (String column : (key == UniqueKey.ACTIVE_KEY) ? List.of("task_name", "dedup_key")
				: List.of("task_name", "schedule_id", "fire_time")) {
			value.append('\u0000').append(args[ExecutionColumns.index(column)]);
		}
		return "bgt_" + UUID.nameUUIDFromBytes(value.toString().getBytes(StandardCharsets.UTF_8));
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
