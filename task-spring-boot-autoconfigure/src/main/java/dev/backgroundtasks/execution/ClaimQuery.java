package dev.backgroundtasks.execution;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The claim statement(s) for one kind of database: take up to {@code limit} due {@code READY} rows,
 * highest priority first, then oldest, skipping rows locked by other claimers ({@code FOR UPDATE SKIP
 * LOCKED}), and move them to {@code RUNNING} for the node.
 */
public interface ClaimQuery {

	/**
	 * The order in which due executions are claimed.
	 */
	String CLAIM_ORDER = "ORDER BY priority DESC, run_at, id";

	/**
	 * @param jdbc the template to run statements with
	 * @param node the claiming node
	 * @param limit the most rows to claim, at least 1
	 * @return the claimed executions
	 */
	List<ClaimedExecution> claim(JdbcTemplate jdbc, String node, int limit);

}
