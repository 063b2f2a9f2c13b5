package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Claims executions of tasks with cluster-wide limits: a concurrency limit, a rate limit, or both, per task or
 * per partition ({@code partitionBy}). Every limited row says so ({@code max_concurrency > 0}) and carries its
 * limits and partition, so nodes agree on them. One statement finds the due partitions of every limited task;
 * then, per task, claimers serialize on its row in {@code bgt_task_lock} ({@code SELECT ... FOR UPDATE}), count
 * its RUNNING executions per partition and its starts in the rate window per partition, and pick each open
 * partition's next executions in one statement, all in one transaction: a counting query alone would race
 * between nodes. A saturated partition is left out of the pick, so it never holds back the others.
 */
final class LimitedTaskClaims {

	static final Duration UNKNOWN_LOOK_INTERVAL = Duration.ofSeconds(1);

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

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private final RateWindows rates;

	private final Set<String> lockRows = ConcurrentHashMap.newKeySet();

	private final BooleanSupplier limitedTasksKnown;

	private final String duePartitions;

	private volatile long lookedAt;

	/** When a rate limit lets more start, as {@link System#nanoTime()}; 0 while none holds work back. */
	private volatile long rateAllowsAt;

	/**
	 * @param jdbc the template
	 * @param transactions transactions of the engine's own
	 * @param limitedTasksKnown whether this node knows a task with limits: while it does not, claims look for
	 * limited executions (stored under another node's settings) once per {@link #UNKNOWN_LOOK_INTERVAL} only,
	 * which saves a round trip on every other claim
	 */
	LimitedTaskClaims(JdbcTemplate jdbc, TransactionOperations transactions, BooleanSupplier limitedTasksKnown) {
		this(jdbc, transactions, limitedTasksKnown, GROUPED);
	}

	/**
	 * @param duePartitions how to find the due partitions: {@link #GROUPED} or {@link #SKIP_SCAN}
	 */
	LimitedTaskClaims(JdbcTemplate jdbc, TransactionOperations transactions, BooleanSupplier limitedTasksKnown,
			String duePartitions) {
		this.duePartitions = duePartitions;
		this.limitedTasksKnown = limitedTasksKnown;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.rates = new RateWindows(jdbc);
		this.lookedAt = System.nanoTime() - UNKNOWN_LOOK_INTERVAL.toNanos();
	}

	List<ClaimedExecution> claim(String node, int limit, Duration lease, @Nullable Collection<String> tasks) {
		if (!this.limitedTasksKnown.getAsBoolean()) {
			long now = System.nanoTime();
			if (now - this.lookedAt < UNKNOWN_LOOK_INTERVAL.toNanos()) {
				return List.of();
			}
			this.lookedAt = now;
		}
		Map<String, LimitedTask> due = new LinkedHashMap<>();
		boolean grouped = GROUPED.equals(this.duePartitions);
		this.jdbc.query(this.duePartitions, (rs) -> {
			String task = rs.getString(1);
			if (tasks == null || tasks.contains(task)) {
				// A skip scan does not count the due rows: the pick finds how many there are.
				due.computeIfAbsent(task, LimitedTask::new)
					.add(rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
							grouped ? rs.getInt(6) : Integer.MAX_VALUE, rs.getInt(7),
							rs.getObject(8, OffsetDateTime.class), grouped);
			}
		});
		List<ClaimedExecution> claimed = new ArrayList<>();
		Duration rateWait = null;
		List<LimitedTask> ordered = new ArrayList<>(due.values());
		ordered.sort(Comparator.comparing((LimitedTask task) -> task.partitions().get(0), Partition.CLAIM_ORDER));
		for (LimitedTask task : ordered) {
			if (claimed.size() >= limit) {
				break;
			}
			ensureLockRow(task.name);
			int room = limit - claimed.size();
			Round round = this.transactions.execute((status) -> claimTask(task, node, room, lease));
			if (round != null) {
				claimed.addAll(round.claimed());
				rateWait = earlier(rateWait, round.rateWait());
			}
		}
		this.rateAllowsAt = (rateWait != null) ? Math.max(1, System.nanoTime() + rateWait.toNanos()) : 0;
		return claimed;
	}

	/**
	 * Claims one execution of a limited task by id, if its partition's limits allow it now.
	 * @return the claim, or {@code null} when it is not {@code READY} or its limits hold it back
	 */
	@Nullable ClaimedExecution claim(UUID id, String node, Duration lease) {
		List<LimitedTask> found = new ArrayList<>();
		this.jdbc.query("SELECT task_name, partition_key, max_concurrency, rate_limit, rate_period_ms, priority, run_at"
				+ " FROM bgt_execution WHERE id = ? AND " + ExecutionStatements.CLAIM.guardById()
				+ " AND max_concurrency > 0", (rs) -> {
					LimitedTask one = new LimitedTask(rs.getString(1));
					one.add(rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), 1, rs.getInt(6),
							rs.getObject(7, OffsetDateTime.class), false);
					found.add(one);
				}, id);
		if (found.isEmpty()) {
			return null;
		}
		LimitedTask only = found.get(0);
		ensureLockRow(only.name);
		Round round = this.transactions.execute((status) -> claimTask(only, node, 1, lease, id));
		if (round == null || round.claimed().isEmpty()) {
			Duration wait = (round != null) ? round.rateWait() : null;
			this.rateAllowsAt = (wait != null) ? Math.max(1, System.nanoTime() + wait.toNanos()) : 0;
			return null;
		}
		return round.claimed().get(0);
	}

	/**
	 * @return how long until a rate limit lets more of the executions the latest claim left waiting start, or
	 * {@code null} when no rate limit held any back
	 */
	@Nullable Duration untilRateAllows() {
		long at = this.rateAllowsAt;
		return (at != 0) ? Duration.ofNanos(Math.max(0, at - System.nanoTime())) : null;
	}

	private Round claimTask(LimitedTask task, String node, int limit, Duration lease) {
		return claimTask(task, node, limit, lease, null);
	}

	/**
	 * In one transaction: the task's lock, then what runs and what started per partition, then the pick.
	 */
	private Round claimTask(LimitedTask task, String node, int limit, Duration lease, @Nullable UUID only) {
		this.jdbc.queryForList("SELECT task_name FROM bgt_task_lock WHERE task_name = ? FOR UPDATE", task.name);
		Map<String, Integer> running = new HashMap<>();
		if (task.limitsConcurrency()) {
			this.jdbc.query("SELECT partition_key, COUNT(*) FROM bgt_execution WHERE task_name = ? AND "
					+ ExecutionStatements.RUNNING_GUARD + " GROUP BY partition_key",
					(rs) -> {
						running.put(rs.getString(1), rs.getInt(2));
					}, task.name);
		}
		Duration period = Duration.ofMillis(task.ratePeriodMillis());
		Map<String, RateWindows.Window> windows = task.limitsRate() ? this.rates.read(task.name, period) : Map.of();
		List<Partition> open = new ArrayList<>();
		Map<Partition, Integer> rooms = new HashMap<>();
		List<RateWindows.Window> full = new ArrayList<>();
		int total = 0;
		for (Partition partition : task.partitions()) {
			if (total >= limit) {
				break;
			}
			int room = Math.min(partition.due, partition.concurrency - running.getOrDefault(partition.key, 0));
			if (task.limitsRate()) {
				RateWindows.Window window = windows.get(partition.key);
				int rated = (window != null) ? window.room(task.rate()) : task.rate();
				if (rated <= 0 && room > 0) {
					full.add(window);
				}
				room = Math.min(room, rated);
			}
			if (room > 0) {
				room = Math.min(room, limit - total);
				open.add(partition);
				rooms.put(partition, room);
				total += room;
			}
		}
		Duration rateWait = null;
		if (!full.isEmpty()) {
			OffsetDateTime now = this.rates.now();
			for (RateWindows.Window window : full) {
				rateWait = earlier(rateWait, window.untilRoom(period, now));
			}
		}
		if (open.isEmpty()) {
			return new Round(List.of(), rateWait);
		}
		Map<UUID, String> picked = (only != null) ? Map.of(only, open.get(0).key) : pick(task.name, open, rooms);
		List<ClaimedExecution> claimed = ExecutionStatements.claimPicked(this.jdbc, new ArrayList<>(picked.keySet()),
				node, lease);
		if (task.limitsRate() && !claimed.isEmpty()) {
			Map<ClaimedExecution, String> starts = new LinkedHashMap<>();
			claimed.forEach((claim) -> starts.put(claim, picked.get(claim.id())));
			this.rates.record(task.name, starts);
		}
		return new Round(claimed, rateWait);
	}

	/**
	 * One statement for every open partition: each one's next due executions in claim order, as many as its
	 * room. The task's lock keeps other claimers of the task out; a row cancelled meanwhile fails the claim's
	 * guard.
	 * @return the picked ids, each with its partition
	 */
	private Map<UUID, String> pick(String task, List<Partition> open, Map<Partition, Integer> rooms) {
		List<String> parts = new ArrayList<>();
		List<Object> args = new ArrayList<>();
		for (Partition partition : open) {
			// Where the index leads with the limit, the pick names the limits its rows carry, so it seeks.
			String pinned = partition.concurrencies.isEmpty() ? "" : " AND max_concurrency IN ("
					+ String.join(", ", Collections.nCopies(partition.concurrencies.size(), "?")) + ")";
			parts.add("(SELECT id, partition_key, priority, run_at FROM bgt_execution WHERE " + ExecutionStatements.DUE
					+ " AND max_concurrency > 0" + pinned + " AND task_name = ? AND partition_key = ? "
					+ DatabaseDialect.CLAIM_ORDER + " FETCH FIRST ? ROWS ONLY)");
			args.addAll(partition.concurrencies);
			args.add(task);
			args.add(partition.key);
			args.add(rooms.get(partition));
		}
		Map<UUID, String> picked = new LinkedHashMap<>();
		this.jdbc.query(String.join(" UNION ALL ", parts), (rs) -> {
			picked.put(rs.getObject(1, UUID.class), rs.getString(2));
		}, args.toArray());
		return picked;
	}

	private static @Nullable Duration earlier(@Nullable Duration a, @Nullable Duration b) {
		return (a == null) ? b : (b == null || a.compareTo(b) <= 0) ? a : b;
	}

	private void ensureLockRow(String task) {
		if (this.lockRows.contains(task)) {
			return;
		}
		// A plain look, then a plain insert: an INSERT ... SELECT ... WHERE NOT EXISTS takes shared
		// next-key locks on MariaDB (repeatable read), and two nodes inserting the same new row at once
		// deadlock on them. A lost race ends in a duplicate key, or a deadlock victim, and a look again.
		for (int tries = 1;; tries++) {
			Integer rows = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_task_lock WHERE task_name = ?",
					Integer.class, task);
			if (rows != null && rows > 0) {
				break;
			}
			try {
				this.jdbc.update("INSERT INTO bgt_task_lock (task_name) VALUES (?)", task);
				break;
			}
			catch (DuplicateKeyException ex) {
				break;
			}
			catch (PessimisticLockingFailureException ex) {
				if (tries >= 5) {
					throw ex;
				}
			}
		}
		this.lockRows.add(task);
	}

	/**
	 * What one task's claim took, and how long until its rate limit lets more start ({@code null}: none
	 * held any back).
	 */
	private record Round(List<ClaimedExecution> claimed, @Nullable Duration rateWait) {
	}

	/**
	 * A limited task with due executions, by partition; the limits are the largest its due rows carry (rows
	 * stored under older settings may differ).
	 */
	private static final class LimitedTask {

		private final String name;

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
	private static final class Partition {

		static final Comparator<Partition> CLAIM_ORDER = Comparator
			.comparing((Partition partition) -> partition.priority, Comparator.reverseOrder())
			.thenComparing((partition) -> partition.runAt, Comparator.nullsFirst(Comparator.naturalOrder()));

		private final String key;

		private final Set<Integer> concurrencies = new TreeSet<>();

		private int concurrency;

		private int due;

		private int priority = Integer.MIN_VALUE;

		private @Nullable OffsetDateTime runAt;

		Partition(String key) {
			this.key = key;
		}

	}

}
