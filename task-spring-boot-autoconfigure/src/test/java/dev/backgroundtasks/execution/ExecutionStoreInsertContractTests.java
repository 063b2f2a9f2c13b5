package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The inserts of {@link ExecutionStore}: one execution due now, at a time or after a delay; batches,
 * alike or not, all or nothing (one statement by itself, several in one transaction); executions stored already claimed; and the count of
 * {@code READY} ones.
 */
class ExecutionStoreInsertContractTests extends AbstractExecutionStoreContractTests {

	@Test
	void insertStoresAReadyExecutionDueNowWithEveryColumn() {
		UUID id = ExecutionIds.next();
		UUID retried = ExecutionIds.next();
		assertThat(this.store.insert(new NewExecution(id, "report", TaskTrigger.API, "{\"a\":1}", 3, 2, 7, null, null,
				null, retried, "traceparent: t1")))
			.isEqualTo(id);
		assertThat(row(id)).containsEntry("task_name", "report")
			.containsEntry("status", "READY")
			.containsEntry("trigger_type", "API")
			.containsEntry("params", "{\"a\":1}")
			.containsEntry("attempt", 0)
			.containsEntry("max_attempts", 3)
			.containsEntry("max_concurrency", 2)
			.containsEntry("priority", 7)
			.containsEntry("retry_of", retried)
			.containsEntry("trace_context", "traceparent: t1")
			.containsEntry("dedup_key", null)
			.containsEntry("node", null)
			.containsEntry("lease_until", null)
			.containsEntry("started_at", null);
		assertThat(millisFromNow("run_at", id)).as("due now, by the database clock").isBetween(-60_000L, 0L);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE id = ? AND run_at = created_at",
				Integer.class, id)).isOne();
	}

	@Test
	void insertWithRunAtIsDueThen() {
		Instant future = Instant.parse("2100-01-01T10:00:00.123Z");
		Instant past = Instant.parse("2020-01-01T10:00:00Z");
		UUID later = insertAt(future);
		UUID earlier = insertAt(past);
		assertThat(runAt(later)).isEqualTo(future);
		assertThat(runAt(earlier)).isEqualTo(past);
		assertThat(this.store.claim("n1", 10, LEASE)).extracting(ClaimedExecution::id).containsExactly(earlier);
		assertThat(this.store.status(later)).isEqualTo(TaskStatus.READY);
	}

	@Test
	void insertWithADelayIsDueThatLongAfterNowByTheDatabaseClock() {
		UUID id = ExecutionIds.next();
		this.store.insert(new NewExecution(id, "task", TaskTrigger.CODE, "{}", 1, 0, 0, null, Duration.ofHours(1), null,
				null));
		assertThat(this.jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM (run_at - created_at)) AS BIGINT)"
				+ " FROM bgt_execution WHERE id = ?", Long.class, id)).isEqualTo(3600);
		assertThat(millisFromNow("run_at", id)).isBetween(3_540_000L, 3_600_000L);
		assertThat(this.store.claim("n1", 10, LEASE)).isEmpty();
	}

	@Test
	void insertLeavesExecutionsOfSchedulesToInsertScheduled() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.insert(NewExecution.scheduled(
				ExecutionIds.next(), "report", "every PT1S", Instant.parse("2026-05-01T10:00:00Z"), 1, 0)));
		assertThat(this.store.countReady()).isZero();
	}

	@Test
	void countReadyCountsReadyExecutionsDueOrNot() {
		insert();
		insertAt(Instant.parse("2100-01-01T00:00:00Z"));
		this.store.claim(insert(), "n1", LEASE);
		this.store.cancel(insert());
		assertThat(this.store.countReady()).isEqualTo(2);
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
		assertThat(millisFromNow("lease_until", id)).isGreaterThan(20_000);
		assertThat(this.store.complete(new ClaimedExecution(id, "task", "{}", 1, "n2", 1), null)).isFalse();
		assertThat(this.store.complete(claim, "\"done\"")).isTrue();
		assertThat(this.store.status(id)).isEqualTo(TaskStatus.SUCCESSFUL);
	}

	@Test
	void insertClaimedTakesOnlyPlainExecutionsDueNow() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.insertClaimed(new NewExecution(
				ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", 1, 0, 0, null, null, "key", null), "n1", LEASE));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.insertClaimed(new NewExecution(
				ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", 1, 1, 0, null, null, null, null), "n1", LEASE));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isZero();
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
			rows.add(this.jdbc.queryForObject("SELECT CONCAT_WS(' ', task_name, status, trigger_type, params,"
					+ " max_attempts, max_concurrency, priority, COALESCE(trace_context, '-')) FROM bgt_execution WHERE id = ?", String.class, id));
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
	void insertAllOfOneStatementCommitsByItselfAndOfSeveralInOneTransaction() {
		AtomicInteger transactions = new AtomicInteger();
		TransactionOperations counted = new TransactionOperations() {

			@Override
			public <T> T execute(TransactionCallback<T> action) {
				transactions.incrementAndGet();
				return ExecutionStoreInsertContractTests.this.transactions.execute(action);
			}

		};
		ExecutionStore store = new JdbcExecutionStore(this.jdbc, this.dialect, counted,
				this.dialect.ownTransactions(this.transactions), () -> true);
		store.insertAll(plain(10));
		assertThat(this.store.countReady()).isEqualTo(10);
		assertThat(transactions).hasValue(0);
		store.insertAll(plain(Math.max(MultiRowInsert.ROWS_PER_STATEMENT, PostgresDialect.INSERT_ROWS) + 1));
		assertThat(transactions).hasValue(1);
	}

	@Test
	void insertAllOfOneStatementStoresNothingWhenOneRowFails() {
		List<NewExecution> executions = plain(10);
		executions.add(executions.get(0));
		assertThat(this.dialect.insertAllStatements(executions.size())).isOne();
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.store.insertAll(executions));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isZero();
	}

	private static List<NewExecution> plain(int rows) {
		List<NewExecution> executions = new ArrayList<>();
		for (UUID id : ExecutionIds.next(rows)) {
			executions.add(NewExecution.of(id, "batch", TaskTrigger.CODE, "{}"));
		}
		return executions;
	}

	@Test
	void insertAllJoinsTheCallersTransaction() {
		this.transactions.executeWithoutResult((status) -> {
			this.store.insertAll(List.of(NewExecution.of(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{}")));
			status.setRollbackOnly();
		});
		assertThat(this.store.countReady()).isZero();
	}

	@Test
	void insertAllRejectsKeysSchedulesAndDueTimes() {
		NewExecution plain = NewExecution.of(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{}");
		List<NewExecution> rejected = List.of(
				new NewExecution(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{}", 1, 0, 0, null, null, "key", null),
				NewExecution.scheduled(ExecutionIds.next(), "batch", "every PT1S", Instant.parse("2026-05-01T10:00:00Z"),
						1, 0),
				new NewExecution(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{}", 1, 0, 0,
						Instant.parse("2100-01-01T00:00:00Z"), null, null, null),
				new NewExecution(ExecutionIds.next(), "batch", TaskTrigger.CODE, "{}", 1, 0, 0, null,
						Duration.ofMinutes(1), null, null));
		for (NewExecution execution : rejected) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.store.insertAll(List.of(plain, execution)));
		}
		this.store.insertAll(List.of());
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isZero();
	}

	private UUID insertAt(Instant runAt) {
		return this.store.insert(new NewExecution(ExecutionIds.next(), "task", TaskTrigger.CODE, "{}", 1, 0, 0, runAt,
				null, null, null));
	}

	private Instant runAt(UUID id) {
		return this.jdbc.queryForObject("SELECT run_at FROM bgt_execution WHERE id = ?", OffsetDateTime.class, id)
			.toInstant();
	}

}
