package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cheap aggregate reads of the queue for metrics, the health indicator, the Actuator endpoint and the
 * dashboard. Exact counts are of the active statuses only ({@code READY}, {@code RUNNING}): both are
 * served by the claim and running indexes, while counting finished rows would scan everything retention
 * keeps; finished statuses are counted up to a cap ({@link #statusCounts}).
 */
public class ExecutionStatistics {

	private static final String ACTIVE_COUNTS = "SELECT task_name, status, COUNT(*) FROM bgt_execution"
			+ " WHERE status = 'READY' GROUP BY task_name, status UNION ALL SELECT task_name, status, COUNT(*)"
			+ " FROM bgt_execution WHERE status = 'WAITING' GROUP BY task_name, status UNION ALL SELECT task_name, status, COUNT(*)"
			+ " FROM bgt_execution WHERE status = 'RUNNING' GROUP BY task_name, status";

	private static final String HEALTH = "SELECT CURRENT_TIMESTAMP,"
			+ " (SELECT MIN(run_at) FROM bgt_execution WHERE status = 'READY' AND run_at <= CURRENT_TIMESTAMP),"
			+ " (SELECT COUNT(*) FROM bgt_execution WHERE status = 'RUNNING' AND lease_until < CURRENT_TIMESTAMP)";

	private static final String EXPIRED_LEASES = "(SELECT COUNT(*) FROM bgt_execution WHERE status = 'RUNNING'"
			+ " AND lease_until < CURRENT_TIMESTAMP)";

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
	 * Counts the active executions in one statement, reading at most {@code cap + 1} rows of each active
	 * status through the index of the status, in its order (claim order for {@code READY} and
	 * {@code WAITING}): a probe costs the same under a backlog of millions. When a status has more than
	 * {@code cap} rows, its counts are of the first {@code cap + 1} in that order only, and add up to
	 * {@code cap + 1}: callers tell a capped count by that sum.
	 * @param cap the most rows of a status to count, at least 1
	 * @return per task name, the number of {@code READY}, {@code WAITING} and {@code RUNNING} executions
	 * among those read; tasks with none are absent
	 */
	public Map<String, Map<TaskStatus, Long>> activeCounts(long cap) {
		if (cap < 1) {
			throw new IllegalArgumentException("The cap must be at least 1, but was " + cap);
		}
		Map<String, Map<TaskStatus, Long>> counts = new HashMap<>();
		this.jdbc.query(activeCountsStatement(cap), (rs) -> {
			counts.computeIfAbsent(rs.getString(1), (task) -> new EnumMap<>(TaskStatus.class))
				.put(TaskStatus.valueOf(rs.getString(2)), rs.getLong(3));
		});
		return counts;
	}

	static String activeCountsStatement(long cap) {
		return activeCountsStatement(cap, "");
	}

	/**
	 * @param more columns added to each row after the count, with their leading comma
	 */
	private static String activeCountsStatement(long cap, String more) {
		return Stream.of(TaskStatus.READY, TaskStatus.WAITING, TaskStatus.RUNNING)
			.map((status) -> "SELECT task_name, status, COUNT(*)" + more + " FROM (SELECT task_name, status FROM bgt_execution"
					+ " WHERE status = '" + status.name() + "' " + indexOrder(status) + " FETCH FIRST " + (cap + 1)
					+ " ROWS ONLY) " + status.name().toLowerCase(Locale.ROOT) + " GROUP BY task_name, status")
			.collect(Collectors.joining(" UNION ALL "));
	}

	/**
	 * Counts the executions in every status up to a cap, in one statement: each count reads at most
	 * {@code cap} entries of the index of its status, never the table, however many rows it holds.
	 * @param cap the most to count per status, at least 0
	 * @return for every status, the number of executions in it, or {@code cap} when there are at least as
	 * many
	 */
	public Map<TaskStatus, Long> statusCounts(long cap) {
		if (cap < 0) {
			throw new IllegalArgumentException("The cap must not be negative, but was " + cap);
		}
		TaskStatus[] statuses = TaskStatus.values();
		Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
		this.jdbc.query(statusCountsStatement(cap), (rs) -> {
			for (int i = 0; i < statuses.length; i++) {
				counts.put(statuses[i], rs.getLong(i + 1));
			}
		});
		return Collections.unmodifiableMap(counts);
	}

	/**
	 * One scalar subquery per status, with the status and cap as literals so that PostgreSQL matches the
	 * partial index of the status and plans for the actual cap.
	 */
	static String statusCountsStatement(long cap) {
		return Arrays.stream(TaskStatus.values())
			.map((status) -> "(SELECT COUNT(*) FROM (SELECT 1 FROM bgt_execution WHERE status = '" + status.name()
					+ "' " + indexOrder(status) + " FETCH FIRST " + cap + " ROWS ONLY) c)")
			.collect(Collectors.joining(", ", "SELECT ", ""));
	}

	/**
	 * The order of the index that holds a status's rows. Without an order, a limit on a common status
	 * (READY under a backlog, SUCCESSFUL always) looks cheapest as a sequential scan that stops early,
	 * which reads far more than the index where the table's first pages hold other statuses or dead
	 * rows. In the index's order, any other plan must read and sort every row of the status, which the
	 * planner prefers only when they are few. Finished rows are read oldest first: their pages no longer
	 * change, so vacuum has marked them all-visible and the index alone answers.
	 */
	private static String indexOrder(TaskStatus status) {
		return switch (status) {
			case WAITING, READY -> DatabaseDialect.CLAIM_ORDER;
			case RUNNING -> "ORDER BY node, lease_until";
			case SUCCESSFUL, FAILED, CANCELLED -> "ORDER BY finished_at";
		};
	}

	/**
	 * Reads what the health indicator judges in one statement (one round trip for a probe): the backlog,
	 * as {@link #backlog(long)} reads it, and the active counts, as {@link #activeCounts(long)} reads them.
	 * @param cap the most rows of each active status to count, and of due {@code READY} rows to look for
	 * the oldest among, at least 1
	 * @return the backlog and the active counts
	 */
	public Probe probe(long cap) {
		if (cap < 1) {
			throw new IllegalArgumentException("The cap must be at least 1, but was " + cap);
		}
		Map<String, Map<TaskStatus, Long>> counts = new HashMap<>();
		Backlog[] backlog = new Backlog[1];
		this.jdbc.query(probeStatement(cap), (rs) -> {
			String status = rs.getString(2);
			if (PROBE_BACKLOG.equals(status)) {
				backlog[0] = backlog(rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class),
						rs.getLong(3));
			}
			else {
				counts.computeIfAbsent(rs.getString(1), (task) -> new EnumMap<>(TaskStatus.class))
					.put(TaskStatus.valueOf(status), rs.getLong(3));
			}
		});
		if (backlog[0] == null) {
			throw new IllegalStateException("The probe query returned no backlog row");
		}
		return new Probe(backlog[0], counts);
	}

	/**
	 * The backlog row first, so that its columns give the types of the union (a timestamp, where the count
	 * rows have none); then the rows of {@link #activeCountsStatement(long)} with two empty columns.
	 */
	static String probeStatement(long cap) {
		return "SELECT '', '" + PROBE_BACKLOG + "', " + EXPIRED_LEASES + ", CURRENT_TIMESTAMP, " + oldestDue(cap)
				+ " UNION ALL " + activeCountsStatement(cap, ", NULL, NULL");
	}

	private static final String PROBE_BACKLOG = "BACKLOG";

	private static String oldestDue(long cap) {
		return "(SELECT MIN(run_at) FROM (SELECT run_at FROM bgt_execution WHERE status = 'READY' AND run_at <="
				+ " CURRENT_TIMESTAMP " + DatabaseDialect.CLAIM_ORDER + " FETCH FIRST " + cap + " ROWS ONLY) due)";
	}

	/**
	 * Reads what the health indicator judges, by the database clock, in one statement, reading at most
	 * {@code cap} due {@code READY} rows: the oldest due execution is looked for among the first
	 * {@code cap} in claim order (priority first, then the oldest). With one priority, the first is the
	 * oldest; under a higher priority's backlog of more than {@code cap}, the oldest of those.
	 * @param cap the most due {@code READY} rows to read, at least 1
	 * @return the age of the oldest due {@code READY} execution and the number of {@code RUNNING}
	 * executions whose lease has expired
	 */
	public Backlog backlog(long cap) {
		if (cap < 1) {
			throw new IllegalArgumentException("The cap must be at least 1, but was " + cap);
		}
		return backlog("SELECT CURRENT_TIMESTAMP, " + oldestDue(cap) + ", " + EXPIRED_LEASES);
	}

	/**
	 * Reads what the health indicator judges, by the database clock, in one statement.
	 * @return the age of the oldest due {@code READY} execution and the number of {@code RUNNING}
	 * executions whose lease has expired
	 */
	public Backlog backlog() {
		return backlog(HEALTH);
	}

	private Backlog backlog(String statement) {
		Backlog backlog = this.jdbc.queryForObject(statement,
				(rs, row) -> backlog(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class),
						rs.getLong(3)));
		if (backlog == null) {
			throw new IllegalStateException("The backlog query returned no row");
		}
		return backlog;
	}

	private static Backlog backlog(OffsetDateTime now, @Nullable OffsetDateTime oldest, long expiredLeases) {
		Duration age = (oldest != null) ? Duration.between(oldest, now) : null;
		return new Backlog((age != null && age.isNegative()) ? Duration.ZERO : age, expiredLeases);
	}

	/**
	 * What the health indicator reads in one statement.
	 *
	 * @param backlog the backlog
	 * @param activeCounts per task name, its executions in each active status among those counted
	 */
	public record Probe(Backlog backlog, Map<String, Map<TaskStatus, Long>> activeCounts) {

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
