package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import dev.backgroundtasks.execution.DuePartitions.LimitedTask;
import dev.backgroundtasks.execution.DuePartitions.Partition;
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
		this(jdbc, transactions, limitedTasksKnown, DuePartitions.GROUPED);
	}

	/**
	 * @param duePartitions how to find the due partitions: {@link DuePartitions#GROUPED} or
	 * {@link DuePartitions#SKIP_SCAN}
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
		List<ClaimedExecution> claimed = new ArrayList<>();
		Duration rateWait = null;
		for (LimitedTask task : DuePartitions.read(this.jdbc, this.duePartitions, tasks)) {
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

}
