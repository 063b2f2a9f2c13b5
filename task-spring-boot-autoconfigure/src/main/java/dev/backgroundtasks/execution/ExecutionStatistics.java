package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cheap aggregate reads of the queue for metrics, the health indicator and the Actuator endpoint. Only
 * the active statuses are counted ({@code READY}, {@code RUNNING}): both are served by the claim and
 * running indexes, while counting finished rows would scan everything retention keeps.
 */
public class ExecutionStatistics {

	private static final String ACTIVE_COUNTS = "SELECT task_name, status, COUNT(*) FROM bgt_execution"
			+ " WHERE status = 'READY' GROUP BY task_name, status UNION ALL SELECT task_name, status, COUNT(*)"
			+ " FROM bgt_execution WHERE status = 'RUNNING' GROUP BY task_name, status";

	private static final String HEALTH = "SELECT CURRENT_TIMESTAMP,"
			+ " (SELECT MIN(run_at) FROM bgt_execution WHERE status = 'READY' AND run_at <= CURRENT_TIMESTAMP),"
			+ " (SELECT COUNT(*) FROM bgt_execution WHERE status = 'RUNNING' AND lease_until < CURRENT_TIMESTAMP)";

	private final JdbcTemplate jdbc;

	public ExecutionStatistics(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts the active executions in one statement.
	 * @return per task name, the number of {@code READY} and of {@code RUNNING} executions; tasks with
	 * neither are absent
	 */
	public Map<String, Map<TaskStatus, Long>> activeCounts() {
		Map<String, Map<TaskStatus, Long>> counts = new HashMap<>();
		this.jdbc.query(ACTIVE_COUNTS, (rs) -> {
			counts.computeIfAbsent(rs.getString(1), (task) -> new EnumMap<>(TaskStatus.class))
				.put(TaskStatus.valueOf(rs.getString(2)), rs.getLong(3));
		});
		return counts;
	}

	/**
	 * Reads what the health indicator judges, by the database clock, in one statement.
	 * @return the age of the oldest due {@code READY} execution and the number of {@code RUNNING}
	 * executions whose lease has expired
	 */
	public Backlog backlog() {
		Backlog backlog = this.jdbc.queryForObject(HEALTH, (rs, row) -> {
			OffsetDateTime now = rs.getObject(1, OffsetDateTime.class);
			OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
			Duration age = (oldest != null) ? Duration.between(oldest, now) : null;
			return new Backlog((age != null && age.isNegative()) ? Duration.ZERO : age, rs.getLong(3));
		});
		if (backlog == null) {
			throw new IllegalStateException("The backlog query returned no row");
		}
		return backlog;
	}

	/**
	 * What the health indicator judges.
	 *
	 * @param oldestReadyAge how long the oldest due {@code READY} execution has waited, or {@code null}
	 * when none is due
	 * @param expiredLeases how many {@code RUNNING} executions have a lease that has expired: their node
	 * stopped heartbeating and no node has recovered them yet
	 */
	public record Backlog(@Nullable Duration oldestReadyAge, long expiredLeases) {

	}

}
