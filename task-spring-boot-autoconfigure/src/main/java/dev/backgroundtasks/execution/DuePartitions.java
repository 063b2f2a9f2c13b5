package dev.backgroundtasks.execution;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The due partitions of limited tasks, found in one statement at the start of each claim of limited tasks:
 * which (task, partition) pairs have due {@code READY} executions, with the limits their rows carry and the
 * place of their next execution in claim order.
 */
final class DuePartitions {

	/**
	 * The due partitions of limited tasks, in one statement that groups every due limited row: on H2 and
	 * MariaDB, whose index of limited rows leads with status and limit (no partial indexes). Gives the limits
	 * per distinct stored concurrency, so that each pick can name them (an equality the index can seek on).
	 */
	static final String GROUPED = "SELECT task_name, partition_key, max_concurrency, MAX(rate_limit),"
			+ " MAX(rate_period_ms), COUNT(*), MAX(priority), MIN(run_at) FROM bgt_execution WHERE "
			+ ExecutionStatements.DUE + " AND max_concurrency > 0 GROUP BY task_name, partition_key, max_concurrency";

	/**
	 * The due partitions of limited tasks on PostgreSQL: a skip scan of the partial index of READY limited
	 * rows (task, partition, claim order) that visits each distinct (task, partition) once, then the first
	 * due row of each in claim order, which gives its limits and its place. With 100,000 READY rows in 100
	 * partitions it reads some 300 index entries, where grouping them all reads every row.
	 */
	static final String SKIP_SCAN = "WITH RECURSIVE p AS ("
			+ "(SELECT task_name, partition_key FROM bgt_execution WHERE status = 'READY' AND max_concurrency > 0"
			+ " ORDER BY task_name, partition_key FETCH FIRST 1 ROWS ONLY)"
			+ " UNION ALL SELECT n.task_name, n.partition_key FROM p CROSS JOIN LATERAL"
			+ " (SELECT e.task_name, e.partition_key FROM bgt_execution e WHERE e.status = 'READY'"
			+ " AND e.max_concurrency > 0 AND (e.task_name, e.partition_key) > (p.task_name, p.partition_key)"
			+ " ORDER BY e.task_name, e.partition_key FETCH FIRST 1 ROWS ONLY) n)"
			+ " SELECT p.task_name, p.partition_key, d.max_concurrency, d.rate_limit, d.rate_period_ms, NULL,"
			+ " d.priority, d.run_at FROM p CROSS JOIN LATERAL (SELECT max_concurrency, rate_limit, rate_period_ms,"
			+ " priority, run_at FROM bgt_execution e WHERE e.status = 'READY' AND e.max_concurrency > 0"
			+ " AND e.task_name = p.task_name AND e.partition_key = p.partition_key"
			+ " AND e.run_at <= CURRENT_TIMESTAMP " + DatabaseDialect.CLAIM_ORDER + " FETCH FIRST 1 ROWS ONLY) d";

	private DuePartitions() {
	}

	/**
	 * @param jdbc the template
	 * @param statement {@link #GROUPED} or {@link #SKIP_SCAN}
	 * @param tasks the tasks the claim may take, or {@code null} for any
	 * @return the limited tasks with due executions, the one whose next execution comes first in claim order
	 * first
	 */
	static List<LimitedTask> read(JdbcTemplate jdbc, String statement, @Nullable Collection<String> tasks) {
		Map<String, LimitedTask> due = new LinkedHashMap<>();
		boolean grouped = GROUPED.equals(statement);
		jdbc.query(statement, (rs) -> {
			String task = rs.getString(1);
			if (tasks == null || tasks.contains(task)) {
				// A skip scan does not count the due rows: the pick finds how many there are.
				due.computeIfAbsent(task, LimitedTask::new)
					.add(rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
							grouped ? rs.getInt(6) : Integer.MAX_VALUE, rs.getInt(7),
							rs.getObject(8, OffsetDateTime.class), grouped);
			}
		});
		List<LimitedTask> ordered = new ArrayList<>(due.values());
		ordered.sort(Comparator.comparing((LimitedTask task) -> task.partitions().get(0), Partition.CLAIM_ORDER));
		return ordered;
	}

	/**
	 * A limited task with due executions, by partition; the limits are the largest its due rows carry (rows
	 * stored under older settings may differ).
	 */
	static final class LimitedTask {

		final String name;

		private final Map<String, Partition> partitions = new LinkedHashMap<>();

		private int rate;

		private long ratePeriodMillis;

		LimitedTask(String name) {
			this.name = name;
		}

		void add(String key, int concurrency, int rate, long periodMillis, int due, int priority,
				@Nullable OffsetDateTime runAt, boolean pinConcurrency) {
			Partition partition = this.partitions.computeIfAbsent(key, Partition::new);
			partition.concurrency = Math.max(partition.concurrency, concurrency);
			if (pinConcurrency) {
				partition.concurrencies.add(concurrency);
			}
			partition.due = (int) Math.min(Integer.MAX_VALUE, (long) partition.due + due);
			partition.priority = Math.max(partition.priority, priority);
			if (runAt != null && (partition.runAt == null || runAt.isBefore(partition.runAt))) {
				partition.runAt = runAt;
			}
			this.rate = Math.max(this.rate, rate);
			this.ratePeriodMillis = Math.max(this.ratePeriodMillis, periodMillis);
		}

		/**
		 * @return the partitions, the one whose next execution comes first in claim order first
		 */
		List<Partition> partitions() {
			List<Partition> ordered = new ArrayList<>(this.partitions.values());
			ordered.sort(Partition.CLAIM_ORDER);
			return ordered;
		}

		boolean limitsConcurrency() {
			return this.partitions.values()
				.stream()
				.anyMatch((partition) -> partition.concurrency < NewExecution.NO_CONCURRENCY_LIMIT);
		}

		boolean limitsRate() {
			return this.rate > 0 && this.ratePeriodMillis > 0;
		}

		int rate() {
			return this.rate;
		}

		long ratePeriodMillis() {
			return this.ratePeriodMillis;
		}

	}

	/**
	 * The due executions of one partition of a task.
	 */
	static final class Partition {

		static final Comparator<Partition> CLAIM_ORDER = Comparator
			.comparing((Partition partition) -> partition.priority, Comparator.reverseOrder())
			.thenComparing((partition) -> partition.runAt, Comparator.nullsFirst(Comparator.naturalOrder()));

		final String key;

		final Set<Integer> concurrencies = new TreeSet<>();

		int concurrency;

		int due;

		private int priority = Integer.MIN_VALUE;

		private @Nullable OffsetDateTime runAt;

		Partition(String key) {
			this.key = key;
		}

	}

}
