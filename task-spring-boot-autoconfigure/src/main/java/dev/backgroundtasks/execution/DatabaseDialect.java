package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Everything that differs per database, in one place: the batch claim, batch completions, lease
 * extension, batch inserts, inserts that may clash with a unique index, and the task-state and statistics
 * upserts.
 * One implementation per supported database, chosen once at start-up ({@link #of}); every store
 * ({@link JdbcExecutionStore}, {@link JdbcScheduleStore}, {@link JdbcTaskStateStore}) asks it instead
 * of branching on the database itself. Adding a database means implementing this interface, adding its
 * migrations, and running the store contract tests against it.
 */
public interface DatabaseDialect {

	/**
	 * The order in which due executions are claimed.
	 */
	String CLAIM_ORDER = "ORDER BY priority DESC, run_at, id";

	/**
	 * Claims up to {@code limit} due {@code READY} executions of tasks without a concurrency limit,
	 * highest priority first, then oldest, skipping rows locked by other claimers ({@code FOR UPDATE SKIP
	 * LOCKED}), and moves them to {@code RUNNING} for the node with a lease.
	 * @param jdbc the template to run statements with
	 * @param node the claiming node
	 * @param limit the most rows to claim, at least 1
	 * @param lease how long the claim holds without a heartbeat
	 * @param tasks the tasks whose executions it may claim (those the node has registered), or {@code null}
	 * for any; not empty
	 * @return the claimed executions
	 */
	List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease,
			@Nullable Collection<String> tasks);

	/**
	 * Records many successes in as few statements as the database allows, each fenced on its claim, all
	 * or none: in one statement, or in a transaction of its own.
	 * @param jdbc the template to run statements with
	 * @param completions the completions
	 * @return the ids whose outcome was written
	 */
	Set<UUID> completeAll(JdbcTemplate jdbc, List<Completion> completions);

	/**
	 * Extends the leases of the given executions while the node still holds them, skipping rows that
	 * are locked by another statement instead of waiting for them.
	 * @param jdbc the template to run statements with
	 * @param node the node
	 * @param ids the executions, at most 1,000
	 * @param lease the new lease, from now
	 * @return the executions whose leases were extended
	 */
	Set<UUID> extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease);

	/**
	 * Inserts executions due now without keys in as few statements as the database allows, in the
	 * caller's transaction. By default with multi-row {@code INSERT ... VALUES} statements of
	 * 500 rows (8,000 binds), which every supported database accepts.
	 * @param jdbc the template to run statements with
	 * @param executions the executions, at least one
	 */
	default void insertAll(JdbcTemplate jdbc, List<NewExecution> executions) {
		MultiRowInsert.insert(jdbc, executions, MultiRowInsert.ROWS_PER_STATEMENT);
	}

	/**
	 * @param rows how many executions {@link #insertAll} is given
	 * @return how many statements it runs for them: a single one is all or nothing by itself and needs no
	 * transaction of its own
	 */
	default int insertAllStatements(int rows) {
		return Math.max(1, (rows + MultiRowInsert.ROWS_PER_STATEMENT - 1) / MultiRowInsert.ROWS_PER_STATEMENT);
	}

	/**
	 * A clause appended to an insert so that a clash on a unique index inserts nothing instead of
	 * failing, where the database can (a failed statement would abort the caller's transaction on
	 * PostgreSQL); empty where a duplicate-key error is harmless, and the store catches it.
	 * @param key the unique index the insert may clash with
	 * @return the clause, or an empty string
	 */
	String onConflictDoNothing(UniqueKey key);

	/**
	 * Runs an insert that may clash with a unique index, in the caller's transaction, which a clash never
	 * aborts: by default with {@link #onConflictDoNothing}, or catching the duplicate where the database
	 * needs no clause.
	 * @param jdbc the template to run statements with
	 * @param key the unique index the insert may clash with
	 * @param insert the insert of one row
	 * @param args its arguments
	 * @param id the id of the row it inserts
	 * @return whether the row was inserted
	 */
	default boolean insertUnlessDuplicate(JdbcTemplate jdbc, UniqueKey key, String insert, Object[] args, UUID id) {
		try {
			return jdbc.update(insert + onConflictDoNothing(key), args) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * @return a statement that stores whether a task is enabled, inserting or updating its row of
	 * {@code bgt_task_state}; binds the task name, then the flag
	 */
	String upsertTaskState();

	/**
	 * @return a statement that adds one node's counts of one minute and task to its row of
	 * {@code bgt_stats_minute}, inserting the row when there is none, and raises the row's longest pickup;
	 * binds the columns of {@link JdbcStatsStore#COLUMNS} in order
	 */
	String addStatistics();

	/**
	 * @param dataSource the data source
	 * @return a template that runs the stores' statements on this database; by default a plain one
	 */
	default JdbcTemplate jdbcTemplate(DataSource dataSource) {
		return new JdbcTemplate(dataSource);
	}

	/**
	 * @param transactions transactions the engine starts for itself (claims, completions, recovery,
	 * retention, statistics)
	 * @return the same, set up for this database; by default unchanged
	 */
	default TransactionOperations ownTransactions(TransactionOperations transactions) {
		return transactions;
	}

	/**
	 * @return the database this dialect is for
	 */
	DatabaseKind kind();

	/**
	 * @param kind a supported database
	 * @param ownTransactions transactions the engine starts for itself, for statements that need one
	 * @return the dialect of that database
	 */
	static DatabaseDialect of(DatabaseKind kind, TransactionOperations ownTransactions) {
		return of(kind, ownTransactions, null);
	}

	/**
	 * @param kind a supported database
	 * @param ownTransactions transactions the engine starts for itself, for statements that need one
	 * @param clock the time the stores' statements take as now instead of the database's (tests only), or
	 * {@code null} for the database's own clock: statements unchanged
	 * @return the dialect of that database
	 */
	static DatabaseDialect of(DatabaseKind kind, TransactionOperations ownTransactions,
			@Nullable ClockOverride clock) {
		return switch (kind) {
			case POSTGRESQL -> new PostgresDialect(clock);
			case H2 -> new H2Dialect(ownTransactions, clock);
			case MARIADB -> new MariaDbDialect(ownTransactions, clock);
		};
	}

	/**
	 * The unique indexes an insert may clash with.
	 */
	enum UniqueKey {

		/** One active ({@code READY} or {@code RUNNING}) execution per task and deduplication key. */
		ACTIVE_KEY,

		/** One execution per task, schedule and fire time. */
		SCHEDULE_TICK

	}

}
