package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.AfterEach;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LimitedTaskClaims} on each database: claims of a task with a cluster-wide
 * concurrency limit never run more of its executions at once than the limit, also when nodes claim at
 * the same moment; per partition with {@code partitionBy}, where a saturated partition never holds back the
 * others; and a rate limit never lets more start in any window than it allows, counted from the start
 * times the database stored.
 */
class LimitedTaskClaimsTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private TransactionOperations transactions;

	private ExecutionStore store;

	private void open(String database) {
		this.dataSource = TestDatabases.fresh(database);
		this.jdbc = TestDatabases.jdbc(this.dataSource);
		// As the store's: READ COMMITTED on MariaDB.
		this.transactions = TestDatabases.ownTransactions(this.dataSource);
		this.store = TestDatabases.executionStore(this.dataSource);
	}

	@AfterEach
	void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@DatabaseTest
	void claimsOnlyWhatTheLimitLeaves(String database) {
		open(database);
		insert("report", 2, 5);
		LimitedTaskClaims claims = claims(true);
		List<ClaimedExecution> first = claims.claim("n1", 10, LEASE, null);
		assertThat(first).hasSize(2).allSatisfy((claim) -> assertThat(claim.node()).isEqualTo("n1"));
		assertThat(claims.claim("n2", 10, LEASE, null)).isEmpty();
		assertThat(this.store.complete(first.get(0), null)).isTrue();
		assertThat(claims.claim("n2", 10, LEASE, null)).singleElement()
			.satisfies((claim) -> assertThat(claim.node()).isEqualTo("n2"));
		assertThat(running("report")).isEqualTo(2);
	}

	@DatabaseTest
	void claimsAtMostWhatTheCallerAsksFor(String database) {
		open(database);
		insert("report", 5, 5);
		assertThat(claims(true).claim("n1", 3, LEASE, null)).hasSize(3);
		assertThat(running("report")).isEqualTo(3);
	}

	@DatabaseTest
	void eachTaskHasItsOwnLimit(String database) {
		open(database);
		insert("report", 1, 3);
		insert("digest", 2, 3);
		assertThat(claims(true).claim("n1", 10, LEASE, null)).extracting(ClaimedExecution::task)
			.containsExactlyInAnyOrder("report", "digest", "digest");
	}

	@DatabaseTest
	void leavesExecutionsWithoutALimitAndThoseNotDueToTheOtherClaims(String database) {
		open(database);
		insert("plain", 0, 3);
		UUID later = insert("report", 2, 1).get(0);
		this.jdbc.update("UPDATE bgt_execution SET run_at = run_at + INTERVAL '1' HOUR WHERE id = ?", later);
		assertThat(claims(true).claim("n1", 10, LEASE, null)).isEmpty();
		assertThat(running("plain")).isZero();
		assertThat(running("report")).isZero();
	}

	@DatabaseTest
	void concurrentClaimersNeverExceedTheLimit(String database) throws Exception {
		open(database);
		int limit = 3;
		int claimers = 4;
		Set<UUID> all = new HashSet<>(insert("report", limit, 24));
		List<LimitedTaskClaims> nodes = new ArrayList<>();
		for (int i = 0; i < claimers; i++) {
			nodes.add(claims(true));
		}
		Set<UUID> claimed = new HashSet<>();
		ExecutorService executor = Executors.newFixedThreadPool(claimers);
		try {
			for (int round = 1; claimed.size() < all.size(); round++) {
				assertThat(round).as("rounds").isLessThanOrEqualTo(all.size());
				CountDownLatch start = new CountDownLatch(1);
				List<Future<List<ClaimedExecution>>> results = new ArrayList<>();
				for (int i = 0; i < claimers; i++) {
					LimitedTaskClaims node = nodes.get(i);
					String name = "n" + i;
					results.add(executor.submit(() -> {
						start.await();
						return node.claim(name, 10, LEASE, null);
					}));
				}
				start.countDown();
				List<ClaimedExecution> thisRound = new ArrayList<>();
				for (Future<List<ClaimedExecution>> result : results) {
					thisRound.addAll(result.get(30, TimeUnit.SECONDS));
				}
				assertThat(running("report")).as("running in round %d", round).isEqualTo(thisRound.size());
				assertThat(thisRound).as("claimed in round %d", round)
					.hasSize(Math.min(limit, all.size() - claimed.size()));
				for (ClaimedExecution claim : thisRound) {
					assertThat(claimed.add(claim.id())).as("claimed once: %s", claim.id()).isTrue();
					assertThat(this.store.complete(claim, null)).isTrue();
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(claimed).isEqualTo(all);
	}

	@DatabaseTest
	void aNodeThatKnowsNoLimitedTaskLooksForLimitedExecutionsOnceASecond(String database) {
		open(database);
		insert("report", 5, 3);
		LimitedTaskClaims claims = claims(false);
		long start = System.nanoTime();
		assertThat(claims.claim("n1", 1, LEASE, null)).hasSize(1);
		assertThat(claims.claim("n1", 1, LEASE, null)).as("looked less than a second ago").isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> !claims.claim("n1", 1, LEASE, null).isEmpty());
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isGreaterThanOrEqualTo(LimitedTaskClaims.UNKNOWN_LOOK_INTERVAL);
		assertThat(running("report")).isEqualTo(2);
	}

	@DatabaseTest
	void aNodeThatKnowsALimitedTaskLooksOnEveryClaim(String database) {
		open(database);
		insert("report", 5, 3);
		LimitedTaskClaims claims = claims(true);
		assertThat(claims.claim("n1", 1, LEASE, null)).hasSize(1);
		assertThat(claims.claim("n1", 1, LEASE, null)).hasSize(1);
		assertThat(claims.claim("n1", 1, LEASE, null)).hasSize(1);
	}

	@DatabaseTest
	void concurrentClaimersNeverExceedAPartitionsLimitWhileOtherPartitionsAreClaimedInTheSameRound(String database)
			throws Exception {
		open(database);
		int limit = 2;
		int claimers = 4;
		Set<UUID> all = new HashSet<>();
		for (String partition : List.of("\"a\"", "\"b\"", "null")) {
			all.addAll(insert("sync", limit, partition, 0, 0, 6));
		}
		List<LimitedTaskClaims> nodes = new ArrayList<>();
		for (int i = 0; i < claimers; i++) {
			nodes.add(claims(true));
		}
		Set<UUID> claimed = new HashSet<>();
		ExecutorService executor = Executors.newFixedThreadPool(claimers);
		try {
			for (int round = 1; claimed.size() < all.size(); round++) {
				assertThat(round).as("rounds").isLessThanOrEqualTo(all.size());
				CountDownLatch start = new CountDownLatch(1);
				List<Future<List<ClaimedExecution>>> results = new ArrayList<>();
				for (int i = 0; i < claimers; i++) {
					LimitedTaskClaims node = nodes.get(i);
					String name = "n" + i;
					results.add(executor.submit(() -> {
						start.await();
						return node.claim(name, 10, LEASE, null);
					}));
				}
				start.countDown();
				List<ClaimedExecution> thisRound = new ArrayList<>();
				for (Future<List<ClaimedExecution>> result : results) {
					thisRound.addAll(result.get(30, TimeUnit.SECONDS));
				}
				Map<String, Integer> running = runningByPartition("sync");
				assertThat(running.values()).as("running per partition in round %d", round)
					.allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(limit));
				assertThat(running).as("partitions running in round %d", round).hasSize(3);
				assertThat(thisRound).as("claimed in round %d", round).hasSize(3 * limit);
				for (ClaimedExecution claim : thisRound) {
					assertThat(claimed.add(claim.id())).as("claimed once: %s", claim.id()).isTrue();
					assertThat(this.store.complete(claim, null)).isTrue();
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(claimed).isEqualTo(all);
	}

	@DatabaseTest
	void aSaturatedPartitionIsSkippedNotStoppedAt(String database) {
		open(database);
		// The oldest executions, first in claim order, are all in partition "a".
		insert("sync", 1, "\"a\"", 0, 0, 5);
		UUID b = insert("sync", 1, "\"b\"", 0, 0, 1).get(0);
		LimitedTaskClaims claims = claims(true);
		assertThat(claims.claim("n1", 1, LEASE, null)).singleElement()
			.satisfies((claim) -> assertThat(partition(claim.id())).isEqualTo("\"a\""));
		assertThat(claims.claim("n1", 1, LEASE, null)).as("a is saturated: b's execution next")
			.singleElement()
			.satisfies((claim) -> assertThat(claim.id()).isEqualTo(b));
		assertThat(claims.claim("n1", 10, LEASE, null)).isEmpty();
		assertThat(runningByPartition("sync")).containsExactlyInAnyOrderEntriesOf(Map.of("\"a\"", 1, "\"b\"", 1));
	}

	@DatabaseTest
	void aNullValueIsAPartitionOfItsOwn(String database) {
		open(database);
		insert("sync", 1, PartitionKeys.of(null), 0, 0, 3);
		insert("sync", 1, "\"null\"", 0, 0, 3);
		insert("sync", 1, PartitionKeys.WHOLE_TASK, 0, 0, 3);
		assertThat(claims(true).claim("n1", 10, LEASE, null)).hasSize(3);
		assertThat(runningByPartition("sync")).containsExactlyInAnyOrderEntriesOf(
				Map.of("null", 1, "\"null\"", 1, PartitionKeys.WHOLE_TASK, 1));
	}

	@DatabaseTest
	void aRateWindowNeverHoldsMoreStartsThanTheRate(String database) {
		open(database);
		int rate = 3;
		Duration period = Duration.ofMillis(400);
		Set<UUID> all = new HashSet<>(insert("mail", 0, PartitionKeys.WHOLE_TASK, rate, period.toMillis(), 10));
		LimitedTaskClaims claims = claims(true);
		Set<UUID> claimed = new HashSet<>();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
			for (ClaimedExecution claim : claims.claim("n1", 10, LEASE, null)) {
				claimed.add(claim.id());
				this.store.complete(claim, null);
			}
			return claimed.size() == all.size();
		});
		assertThat(mostStartsInAnyWindow("mail", period)).isEqualTo(rate);
	}

	@DatabaseTest
	void aFullWindowTellsWhenTheNextStartIsPossible(String database) {
		open(database);
		insert("mail", 0, PartitionKeys.WHOLE_TASK, 2, Duration.ofHours(1).toMillis(), 3);
		LimitedTaskClaims claims = claims(true);
		assertThat(claims.claim("n1", 10, LEASE, null)).hasSize(2);
		assertThat(claims.untilRateAllows()).as("the latest claim held nothing back").isNull();
		assertThat(claims.claim("n1", 10, LEASE, null)).isEmpty();
		// When the oldest of the two starts leaves the window: an hour after it, less the moments since.
		assertThat(claims.untilRateAllows()).isNotNull()
			.isGreaterThan(Duration.ofMinutes(59))
			.isLessThanOrEqualTo(Duration.ofHours(1).plusMillis(1));
	}

	@DatabaseTest
	void retriesStartAgainAndCountInTheWindow(String database) {
		open(database);
		insert("mail", 0, PartitionKeys.WHOLE_TASK, 2, Duration.ofHours(1).toMillis(), 2);
		LimitedTaskClaims claims = claims(true);
		ClaimedExecution first = claims.claim("n1", 1, LEASE, null).get(0);
		assertThat(this.store.retry(first, new ExecutionError("java.io.IOException", "down", ""), Duration.ZERO))
			.isEqualTo(TaskStatus.READY);
		assertThat(claims.claim("n1", 10, LEASE, null)).as("one more start fits in the window").hasSize(1);
		assertThat(claims.claim("n1", 10, LEASE, null)).as("two starts fill it").isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_task_start WHERE task_name = 'mail'",
				Integer.class)).isEqualTo(2);
	}

	@DatabaseTest
	void concurrencyAndRateCombinePerPartition(String database) {
		open(database);
		long hour = Duration.ofHours(1).toMillis();
		insert("sync", 2, "\"a\"", 3, hour, 5);
		insert("sync", 2, "\"b\"", 3, hour, 5);
		LimitedTaskClaims claims = claims(true);
		List<ClaimedExecution> first = claims.claim("n1", 10, LEASE, null);
		assertThat(runningByPartition("sync")).as("the concurrency holds first")
			.containsExactlyInAnyOrderEntriesOf(Map.of("\"a\"", 2, "\"b\"", 2));
		first.forEach((claim) -> this.store.complete(claim, null));
		assertThat(claims.claim("n1", 10, LEASE, null)).as("then the rate: one more start each").hasSize(2);
		assertThat(claims.claim("n1", 10, LEASE, null)).isEmpty();
		assertThat(claims.untilRateAllows()).isNotNull();
	}

	@DatabaseTest
	void aClaimByIdStartsOnlyWhatItsPartitionAllows(String database) {
		open(database);
		List<UUID> a = insert("sync", 1, "\"a\"", 0, 0, 2);
		UUID b = insert("sync", 1, "\"b\"", 0, 0, 1).get(0);
		assertThat(this.store.claim(a.get(0), "n1", LEASE)).isNotNull();
		assertThat(this.store.claim(a.get(1), "n1", LEASE)).as("a is saturated").isNull();
		assertThat(this.store.status(a.get(1))).isEqualTo(TaskStatus.READY);
		assertThat(this.store.claim(b, "n1", LEASE)).isNotNull();
	}

	@DatabaseTest
	void aBatchInsertStoresEachExecutionsPartitionAndLimits(String database) {
		open(database);
		List<NewExecution> batch = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			batch.add(new NewExecution(ExecutionIds.next(), "sync", TaskTrigger.CODE, "{}", 1, 0, 0, null, null, null,
					null)
				.withLimits(1, (i % 2 == 0) ? "\"a\"" : "\"b\"", 4, 60_000));
		}
		this.store.insertAll(batch);
		assertThat(this.jdbc.queryForList("SELECT DISTINCT max_concurrency, rate_limit, rate_period_ms FROM bgt_execution"
				+ " WHERE task_name = 'sync'")).singleElement()
			.satisfies((row) -> assertThat(row.values()).extracting((value) -> ((Number) value).longValue())
				.containsExactly(1L, 4L, 60_000L));
		assertThat(claims(true).claim("n1", 10, LEASE, null)).hasSize(2);
		assertThat(runningByPartition("sync")).containsExactlyInAnyOrderEntriesOf(Map.of("\"a\"", 1, "\"b\"", 1));
	}

	private LimitedTaskClaims claims(boolean limitedTasksKnown) {
		// As the store's: a skip scan of the due partitions on PostgreSQL, a grouping elsewhere.
		return new LimitedTaskClaims(this.jdbc, this.transactions, () -> limitedTasksKnown,
				(DatabaseKind.of(this.dataSource) == DatabaseKind.POSTGRESQL) ? DuePartitions.SKIP_SCAN
						: DuePartitions.GROUPED);
	}

	private List<UUID> insert(String task, int limit, int count) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.store.insert(new NewExecution(ExecutionIds.next(), task, TaskTrigger.CODE, "{}", 1, limit, 0,
					null, null, null, null)));
		}
		return ids;
	}

	private List<UUID> insert(String task, int concurrency, String partition, int rate, long periodMillis,
			int count) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.store.insert(new NewExecution(ExecutionIds.next(), task, TaskTrigger.CODE, "{}", 1, 0, 0, null,
					null, null, null)
				.withLimits(concurrency, partition, rate, periodMillis)));
		}
		return ids;
	}

	private Map<String, Integer> runningByPartition(String task) {
		Map<String, Integer> running = new HashMap<>();
		this.jdbc.query("SELECT partition_key, COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?"
				+ " GROUP BY partition_key", (rs) -> {
					running.put(rs.getString(1), rs.getInt(2));
				}, task, TaskStatus.RUNNING.name());
		return running;
	}

	private String partition(UUID id) {
		return this.jdbc.queryForObject("SELECT partition_key FROM bgt_execution WHERE id = ?", String.class, id);
	}

	/**
	 * @return the most executions of the task whose stored start (database time) falls in one window
	 * {@code [start, start + period)} that begins at one of them
	 */
	private int mostStartsInAnyWindow(String task, Duration period) {
		List<OffsetDateTime> starts = this.jdbc.query(
				"SELECT started_at FROM bgt_execution WHERE task_name = ? ORDER BY started_at",
				(rs, row) -> rs.getObject(1, OffsetDateTime.class), task);
		int most = 0;
		for (int i = 0; i < starts.size(); i++) {
			OffsetDateTime end = starts.get(i).plus(period);
			int inWindow = 0;
			for (int j = i; j < starts.size() && starts.get(j).isBefore(end); j++) {
				inWindow++;
			}
			most = Math.max(most, inWindow);
		}
		return most;
	}

	private int running(String task) {
		Integer running = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?", Integer.class, task,
				TaskStatus.RUNNING.name());
		return (running != null) ? running : 0;
	}

}
