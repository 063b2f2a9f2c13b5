package dev.backgroundtasks.test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Finds the executions that keep the engine busy: {@code RUNNING} ones, and {@code READY} ones due by the
 * test clock that a worker of this context would claim, and {@code WAITING} ones about to be released (no
 * execution they wait for is active). Executions due later do not count, nor those still waiting.
 */
final class EngineActivity {

	// CURRENT_TIMESTAMP is the test clock's instant: the template comes from the engine's dialect.
	// A WAITING execution none of whose parents is active any more is about to be released: busy too.
	private static final String BUSY = "SELECT id, task_name, status FROM bgt_execution e WHERE status = 'RUNNING'"
			+ " OR (status = 'READY' AND run_at <= CURRENT_TIMESTAMP) OR (status = 'WAITING' AND NOT EXISTS (SELECT 1"
			+ " FROM bgt_execution_dependency d JOIN bgt_execution p ON p.id = d.parent_id WHERE d.execution_id = e.id"
			+ " AND p.status IN ('WAITING', 'READY', 'RUNNING')))";

	private static final String UPCOMING = "SELECT task_name, MIN(run_at) FROM bgt_execution WHERE status = 'READY'"
			+ " AND run_at > CURRENT_TIMESTAMP GROUP BY task_name";

	private final JdbcTemplate jdbc;

	private final Predicate<String> claimable;

	private final boolean working;

	/**
	 * @param jdbc a template of the engine's dialect, which reads the test clock as now
	 * @param claimable whether a worker of this context claims executions of a task (registered, enabled)
	 * @param working whether this context has a worker (queue mode): without one, due executions wait
	 */
	EngineActivity(JdbcTemplate jdbc, Predicate<String> claimable, boolean working) {
		this.jdbc = jdbc;
		this.claimable = claimable;
		this.working = working;
	}

	/**
	 * @return the earliest time after the test clock's at which an execution this context's worker would
	 * claim becomes due (a retry, a delayed submission), or {@code null} for none or without a worker
	 */
	@Nullable Instant nextDue() {
		if (!this.working) {
			return null;
		}
		List<Instant> due = this.jdbc.query(UPCOMING, (rs, row) -> this.claimable.test(rs.getString(1))
				? rs.getObject(2, OffsetDateTime.class).toInstant() : null);
		return due.stream().filter((time) -> time != null).min(Instant::compareTo).orElse(null);
	}

	/**
	 * @param registered whether a task is registered in this context
	 * @return the busy executions of this context's tasks, one line each
	 */
	List<String> busy(Predicate<String> registered) {
		return this.jdbc.query(BUSY, (rs, row) -> {
			String task = rs.getString(2);
			String status = rs.getString(3);
			boolean running = "RUNNING".equals(status);
			boolean counts = running ? registered.test(task) : this.working && this.claimable.test(task);
			return counts ? "'" + task + "' " + status + " (" + rs.getString(1) + ")" : null;
		}).stream().filter((line) -> line != null).toList();
	}

}
