package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract every {@link ExecutionStore} keeps, run against each supported database: claims respect
 * the limit, the order and each other; every state change is guarded; the end of an attempt is fenced
 * on node and attempt.
 */
abstract class AbstractExecutionStoreContractTests {

	static final Duration LEASE = Duration.ofSeconds(30);

	private JdbcTemplate jdbc;

	private ExecutionStore store;

	private volatile boolean limitedTasksKnown = true;

	protected abstract DataSource dataSource();

	@BeforeEach
	void store() {
		DataSource dataSource = dataSource();
		DatabaseKind database = DatabaseKind.of(dataSource);
		new ExecutionSchemaInitializer(dataSource, database).afterPropertiesSet();
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.update("DELETE FROM bgt_execution");
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.store = new JdbcExecutionStore(this.jdbc, DatabaseDialect.of(database, transactions), transactions,
				transactions, () -> this.limitedTasksKnown);
	}

	@Test
	void claimTakesAtMostTheLimitHighestPriorityFirstThenOldest() {
		UUID low = insert();
		UUID high = insert();
		UUID alsoLow = insert();
		this.jdbc.update("UPDATE bgt_execution SET priority = 5 WHERE id = ?", high);
		List<ClaimedExecution> claimed = this.store.claim("n1", 2, LEASE);
		assertThat(claimed).extracting(ClaimedExecution::id).containsExactly(high, low);
		assertThat(claimed).allSatisfy((claim) -> {
			assertThat(claim.attempt()).isEqualTo(1);
			assertThat(claim.node()).isEqualTo("n1");
		});
		assertThat(this.store.status(high)).isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.claim("n2", 10, LEASE)).extracting(ClaimedExecution::id).containsExactly(alsoLow);
		assertThat(this.store.claim("n2", 10, LEASE)).isEmpty();
	}

	@Test
	void claimSkipsExecutionsNotYetDue() {
		UUID later = insert();
		this.jdbc.update("UPDATE bgt_execution SET run_at = run_at + INTERVAL '1' HOUR WHERE id = ?", later);
		assertThat(this.store.claim("n1", 10, LEASE)).isEmpty();
	}

	@Test
	void concurrentClaimersNeverShareAnExecution() throws Exception {
		Set<UUID> inserted = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			inserted.add(insert());
		}
		int claimers = 4;
		CyclicBarrier start = new CyclicBarrier(claimers);
		List<CompletableFuture<List<UUID>>> results = new ArrayList<>();
		for (int i = 0; i < claimers; i++) {
			String node = "n" + i;
			results.add(CompletableFuture.supplyAsync(() -> {
				List<UUID> mine = new ArrayList<>();
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				List<ClaimedExecution> batch;
				while (!(batch = this.store.claim(node, 7, LEASE)).isEmpty()) {
					assertThat(batch).hasSizeLessThanOrEqualTo(7);
					batch.forEach((claim) -> mine.add(claim.id()));
				}
				return mine;
			}));
		}
		List<UUID> all = new ArrayList<>();
		for (CompletableFuture<List<UUID>> result : results) {
			all.addAll(result.get());
		}
		assertThat(all).doesNotHaveDuplicates().hasSameSizeAs(inserted);
		assertThat(new HashSet<>(all)).isEqualTo(inserted);
	}

	@Test
	void outcomeIsFencedOnNodeAndAttempt() {
		insert();
		ClaimedExecution claim = this.store.claim("n1", 1, LEASE).get(0);
		ClaimedExecution otherNode = new ClaimedExecution(claim.id(), claim.task(), claim.params(), claim.attempt(), "n2", 1);
		ClaimedExecution oldAttempt = new ClaimedExecution(claim.id(), claim.task(), claim.params(), 0, "n1", 1);
		assertThat(this.store.complete(otherNode, "1")).isFalse();
		assertThat(this.store.fail(oldAttempt, new ExecutionError("E", "m", "s"))).isFalse();
		assertThat(this.store.complete(claim, "42")).isTrue();
		assertThat(this.store.status(claim.id())).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.store.fail(claim, new ExecutionError("E", "m", "s"))).as("no move out of a final state").isFalse();
		assertThat(this.jdbc.queryForObject("SELECT result FROM bgt_execution WHERE id = ?", String.class, claim.id()))
			.isEqualTo("42");
	}

	@Test
	void cancelMovesOnlyReadyExecutions() {
		UUID ready = insert();
		assertThat(this.store.cancel(ready)).isTrue();
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.cancel(ready)).isFalse();
		UUID running = insert();
		assertThat(this.store.claim(running, "n1", LEASE)).isNotNull();
		assertThat(this.store.cancel(running)).isFalse();
		assertThat(this.store.claim(running, "n2", LEASE)).as("claimed once only").isNull();
		assertThat(this.store.status(UUID.randomUUID())).isNull();
	}

	@Test
	void failureKeepsTypeMessageAndStackTrace() {
		insert();
		ClaimedExecution claim = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.fail(claim, new ExecutionError("java.io.IOException", "disk full", "at x.y(Z.java:1)")))
			.isTrue();
		assertThat(this.jdbc.queryForMap("SELECT status, error_type, error_message, error_stack_trace FROM bgt_execution"))
			.containsValues("FAILED", "java.io.IOException", "disk full", "at x.y(Z.java:1)");
	}

	@Test
	void completeAllWritesEveryClaimThatStillHoldsInOneGo() {
		insert();
		insert();
		insert();
		List<ClaimedExecution> claims = this.store.claim("n1", 3, LEASE);
		ClaimedExecution stale = new ClaimedExecution(claims.get(2).id(), "task", "{}", claims.get(2).attempt(), "n9", 1);
		Set<UUID> written = this.store.completeAll(List.of(new Completion(claims.get(0), "1"),
				new Completion(claims.get(1), null), new Completion(stale, "\"stale\"")));
		assertThat(written).containsExactlyInAnyOrder(claims.get(0).id(), claims.get(1).id());
		assertThat(this.store.status(claims.get(0).id())).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.store.status(claims.get(2).id())).as("fenced out").isEqualTo(TaskStatus.RUNNING);
		assertThat(this.jdbc.queryForObject("SELECT result FROM bgt_execution WHERE id = ?", String.class,
				claims.get(0).id())).isEqualTo("1");
	}

	@Test
	void insertAllKeepsEveryColumnOfEveryRowWhetherTheRowsAreAlikeOrNot() {
		UUID[] ids = ExecutionIds.next(5);
		// One task from one submission, params shared or not...
		this.store.insertAll(List.of(new NewExecution(ids[0], "alike", TaskTrigger.API, "{}", 2, 0, 0, null, null, null,
				null, "traceparent: t1"),
				new NewExecution(ids[1], "alike", TaskTrigger.API, "{\"x\":1}", 2, 0, 0, null, null, null, null,
						"traceparent: t1"),
				new NewExecution(ids[2], "alike", TaskTrigger.API, "{}", 2, 0, 0, null, null, null, null,
						"traceparent: t1")));
		// ...and rows that differ in more than that.
		this.store.insertAll(List.of(new NewExecution(ids[3], "one", TaskTrigger.CODE, "{}", 1, 0, 5, null, null, null,
				null, null), new NewExecution(ids[4], "two", TaskTrigger.SCHEDULE, "{\"y\":2}", 3, 1, 0, null, null, null,
						null, null)));
		List<String> rows = new ArrayList<>();
		for (UUID id : ids) {
			rows.add(this.jdbc.queryForObject("SELECT task_name || ' ' || status || ' ' || trigger_type || ' ' || params"
					+ " || ' ' || max_attempts || ' ' || max_concurrency || ' ' || priority || ' '"
					+ " || COALESCE(trace_context, '-') FROM bgt_execution WHERE id = ?", String.class, id));
		}
		assertThat(rows).containsExactly("alike READY API {} 2 0 0 traceparent: t1",
				"alike READY API {\"x\":1} 2 0 0 traceparent: t1", "alike READY API {} 2 0 0 traceparent: t1",
				"one READY CODE {} 1 0 5 -", "two READY SCHEDULE {\"y\":2} 3 1 0 -");
	}

	@Test
	void insertAllStoresEveryExecutionReady() {
		List<NewExecution> executions = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			executions.add(new NewExecution(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{\"i\":" + i + "}", 3, 0, 0,
					null, null, null, null));
		}
		this.store.insertAll(executions);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'batch'"
				+ " AND status = 'READY' AND max_attempts = 3", Integer.class)).isEqualTo(250);
		assertThat(this.store.countReady()).isEqualTo(250);
	}

	@Test
	void insertAllSpansSeveralStatementsAndKeepsEveryColumn() {
		// More rows than one statement of either dialect takes.
		int rows = Math.max(MultiRowInsert.ROWS_PER_STATEMENT, PostgresDialect.INSERT_ROWS) + 1;
		UUID retried = ExecutionIds.next();
		List<NewExecution> executions = new ArrayList<>();
		UUID[] ids = ExecutionIds.next(rows);
		for (int i = 0; i < rows; i++) {
			executions.add(new NewExecution(ids[i], "batch-" + (i % 3), TaskTrigger.values()[i % 4],
					"{\"i\":" + i + "}", 1 + i % 5, i % 2, i % 7, null, null, null, (i % 2 == 0) ? retried : null,
					(i % 3 == 0) ? "traceparent: " + i : null));
		}
		this.store.insertAll(executions);
		assertThat(this.store.countReady()).isEqualTo(rows);
		for (int i : new int[] { 0, 1, 499, 500, 501, 4_999, 5_000, rows - 1 }) {
			NewExecution expected = executions.get(i);
			assertThat(this.jdbc.queryForMap("SELECT task_name, status, trigger_type, params, attempt, max_attempts,"
					+ " max_concurrency, priority, retry_of, trace_context, dedup_key FROM bgt_execution WHERE id = ?",
					expected.id()))
				.containsEntry("TASK_NAME", expected.task())
				.containsEntry("STATUS", "READY")
				.containsEntry("TRIGGER_TYPE", expected.trigger().name())
				.containsEntry("PARAMS", expected.params())
				.containsEntry("ATTEMPT", 0)
				.containsEntry("MAX_ATTEMPTS", expected.maxAttempts())
				.containsEntry("MAX_CONCURRENCY", expected.maxConcurrency())
				.containsEntry("PRIORITY", expected.priority())
				.containsEntry("RETRY_OF", expected.retryOf())
				.containsEntry("TRACE_CONTEXT", expected.traceContext())
				.containsEntry("DEDUP_KEY", null);
		}
	}

	@Test
	void insertAllStoresNothingWhenOneRowFails() {
		int rows = Math.max(MultiRowInsert.ROWS_PER_STATEMENT, PostgresDialect.INSERT_ROWS) + 1;
		List<NewExecution> executions = new ArrayList<>();
		for (UUID id : ExecutionIds.next(rows - 1)) {
			executions.add(NewExecution.of(id, "batch", TaskTrigger.CODE, "{}"));
		}
		// The last statement repeats the first id.
		executions.add(executions.get(0));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.store.insertAll(executions));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isZero();
	}

	@Test
	void retentionDeletesOldFinishedExecutionsButTheLatestOfEachSchedule() {
		UUID oldSuccess = finished("SUCCESSFUL", 8, null, null);
		UUID recentSuccess = finished("SUCCESSFUL", 1, null, null);
		UUID oldFailure = finished("FAILED", 8, null, null);
		UUID olderTick = finished("SUCCESSFUL", 9, "every PT1H", "2026-01-01T00:00:00Z");
		UUID latestTick = finished("SUCCESSFUL", 8, "every PT1H", "2026-01-01T01:00:00Z");
		UUID ready = insert();
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 1)).isEqualTo(1);
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 100)).isEqualTo(1);
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 100)).isZero();
		assertThat(this.store.status(oldSuccess)).isNull();
		assertThat(this.store.status(olderTick)).isNull();
		assertThat(this.store.status(latestTick)).as("the latest tick of its schedule").isNotNull();
		assertThat(this.store.status(recentSuccess)).isNotNull();
		assertThat(this.store.status(oldFailure)).as("another state, another retention").isNotNull();
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.READY);
	}

	private UUID finished(String status, int daysAgo, String scheduleId, String fireTime) {
		UUID id = insert();
		this.jdbc.update("UPDATE bgt_execution SET status = ?, finished_at = CURRENT_TIMESTAMP - CAST(? AS INTEGER)"
				+ " * INTERVAL '1' DAY, schedule_id = ?, fire_time = CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE id = ?",
				status, daysAgo, scheduleId, fireTime, id);
		return id;
	}

	@Test
	void heartbeatExtendsOnlyTheLeasesTheNodeStillHolds() {
		UUID held = insert();
		UUID given = insert();
		UUID otherNodes = insert();
		this.store.claim("n1", 2, Duration.ofSeconds(1));
		this.store.claim("n2", 1, Duration.ofSeconds(1));
		assertThat(this.store.extendLeases("n1", List.of(held, otherNodes, UUID.randomUUID()), LEASE)).isEqualTo(1);
		assertThat(leaseSeconds(held)).isGreaterThan(20);
		assertThat(leaseSeconds(given)).isLessThan(2);
		assertThat(leaseSeconds(otherNodes)).isLessThan(2);
		assertThat(this.store.extendLeases("n1", List.of(), LEASE)).isZero();
	}

	@Test
	void heartbeatSkipsRowsLockedByAnotherStatementInsteadOfWaiting() throws Exception {
		UUID locked = insert();
		UUID free = insert();
		this.store.claim("n1", 2, Duration.ofSeconds(1));
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		CompletableFuture<Void> lockTaken = new CompletableFuture<>();
		CompletableFuture<Void> release = new CompletableFuture<>();
		CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult((status) -> {
			this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE id = ? FOR UPDATE", locked);
			lockTaken.complete(null);
			release.join();
		}));
		try {
			lockTaken.get(10, java.util.concurrent.TimeUnit.SECONDS);
			CompletableFuture<Integer> extended = CompletableFuture
				.supplyAsync(() -> this.store.extendLeases("n1", List.of(locked, free), LEASE));
			assertThat(extended.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
		}
		finally {
			release.complete(null);
			holder.get(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		assertThat(leaseSeconds(free)).isGreaterThan(20);
		assertThat(leaseSeconds(locked)).isLessThan(2);
	}

	@Test
	void aNodeThatKnowsNoLimitedTaskStillClaimsLimitedExecutionsStoredByOthers() {
		this.limitedTasksKnown = false;
		UUID limited = insert();
		this.jdbc.update("UPDATE bgt_execution SET max_concurrency = 1 WHERE id = ?", limited);
		assertThat(this.store.claim("n1", 5, LEASE)).extracting(ClaimedExecution::id).containsExactly(limited);
	}

	@Test
	void anExecutionStoredClaimedRunsUnderTheSameFenceAsAClaimedOne() {
		UUID id = ExecutionIds.next();
		ClaimedExecution claim = this.store.insertClaimed(NewExecution.of(id, "task", TaskTrigger.CODE, "{}"), "n1",
				LEASE);
		assertThat(claim.attempt()).isEqualTo(1);
		assertThat(claim.node()).isEqualTo("n1");
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.claim("n2", 10, LEASE)).isEmpty();
		assertThat(leaseSeconds(id)).isGreaterThan(20);
		assertThat(this.store.complete(new ClaimedExecution(id, "task", "{}", 1, "n2", 1), null)).isFalse();
		assertThat(this.store.complete(claim, "\"done\"")).isTrue();
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.SUCCESSFUL);
	}

	private long leaseSeconds(UUID id) {
		Long millis = this.jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM (lease_until - CURRENT_TIMESTAMP)) * 1000"
				+ " AS BIGINT) FROM bgt_execution WHERE id = ?", Long.class, id);
		return (millis != null) ? millis / 1000 : -1;
	}

	private UUID insert() {
		UUID id = ExecutionIds.next();
		this.store.insert(NewExecution.of(id, "task", TaskTrigger.CODE, "{}"));
		return id;
	}

}
