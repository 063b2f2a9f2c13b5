package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
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
 * the same moment.
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

	private LimitedTaskClaims claims(boolean limitedTasksKnown) {
		return new LimitedTaskClaims(this.jdbc, this.transactions, () -> limitedTasksKnown);
	}

	private List<UUID> insert(String task, int limit, int count) {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(this.store.insert(new NewExecution(ExecutionIds.next(), task, TaskTrigger.CODE, "{}", 1, limit, 0,
					null, null, null, null)));
		}
		return ids;
	}

	private int running(String task) {
		Integer running = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?", Integer.class, task,
				TaskStatus.RUNNING.name());
		return (running != null) ? running : 0;
	}

}
