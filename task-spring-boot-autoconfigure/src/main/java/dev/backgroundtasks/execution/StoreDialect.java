package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements that differ per database: the batch claim, batch inserts, and inserting when an
 * active execution with the same key may already exist.
 */
public interface StoreDialect {

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
	 * @return the claimed executions
	 */
	List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit, Duration lease);

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
	 * @return how many leases were extended
	 */
	int extendLeases(JdbcTemplate jdbc, String node, List<UUID> ids, Duration lease);

	/**
	 * Inserts executions due now without keys in as few statements as the database allows, in the
	 * caller's transaction. By default with multi-row {@code INSERT ... VALUES} statements of
	 * 500 rows (4,500 binds), which every supported database accepts.
	 * @param jdbc the template to run statements with
	 * @param executions the executions, at least one
	 */
	default void insertAll(JdbcTemplate jdbc, List<NewExecution> executions) {
		MultiRowInsert.insert(jdbc, executions, MultiRowInsert.ROWS_PER_STATEMENT);
	}

	/**
	 * A clause appended to the insert so that a clash on an active key inserts nothing instead of
	 * failing, where the database can (a failed statement would abort the caller's transaction on
	 * PostgreSQL); empty where a duplicate-key error is harmless.
	 * @return the clause, or an empty string
	 */
	String onActiveKeyConflict();

}
