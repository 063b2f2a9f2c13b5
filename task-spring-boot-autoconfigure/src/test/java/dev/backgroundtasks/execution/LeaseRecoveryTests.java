package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.AfterEach;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LeaseRecovery} on each database: executions whose node stopped heartbeating go back
 * to {@code READY} while attempts are left, or end {@code FAILED}, or {@code CANCELLED} when cancelling
 * was asked. Claims here take a lease that ended a minute ago.
 */
class LeaseRecoveryTests {

	private static final Duration EXPIRED = Duration.ofMinutes(-1);

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private TransactionOperations transactions;

	private ExecutionStore store;

	private LeaseRecovery recovery;

	private void open(String database) {
		this.dataSource = TestDatabases.fresh(database);
		this.jdbc = TestDatabases.jdbc(this.dataSource);
		// As the store's: on MariaDB at REPEATABLE READ two nodes recovering at once deadlock on each other's rows.
		this.transactions = TestDatabases.ownTransactions(this.dataSource);
		this.store = TestDatabases.executionStore(this.dataSource);
		this.recovery = new LeaseRecovery(this.jdbc, this.transactions,
				new BatchCompletions(this.jdbc, this.transactions, BatchCallbackListener.NONE));
	}

	@AfterEach
	void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@DatabaseTest
	void anExecutionWithAttemptsLeftIsReadyAgainInItsPlaceWithTheLostAttemptCounted(String database) {
		open(database);
		UUID id = insert(3);
		OffsetDateTime runAt = row(id, "run_at", OffsetDateTime.class);
		this.store.claim("n1", 1, EXPIRED);
		assertThat(this.recovery.recover()).containsExactly(new RecoveredExecution(id, "report", TaskStatus.READY, 1,
				"n1"));
		Map<String, Object> row = row(id);
		assertThat(row.get("status")).isEqualTo("READY");
		assertThat(((Number) row.get("attempt")).intValue()).isEqualTo(1);
		assertThat(row.get("node")).isNull();
		assertThat(row.get("lease_until")).isNull();
		assertThat(row.get("finished_at")).isNull();
		assertThat(row.get("error_type")).isEqualTo("dev.backgroundtasks.LeaseExpiredException");
		assertThat(row.get("error_message")).isEqualTo("Node n1 stopped heartbeating during attempt 1");
		assertThat(row(id, "run_at", OffsetDateTime.class)).isEqualTo(runAt);
		assertThat(this.store.claim("n2", 1, Duration.ofSeconds(30))).singleElement()
			.satisfies((claim) -> assertThat(claim.attempt()).isEqualTo(2));
	}

	@DatabaseTest
	void anExecutionWithoutAttemptsLeftFails(String database) {
		open(database);
		UUID id = insert(2);
		this.store.claim("n1", 1, EXPIRED);
		this.recovery.recover();
		this.store.claim("n2", 1, EXPIRED);
		assertThat(this.recovery.recover()).containsExactly(new RecoveredExecution(id, "report", TaskStatus.FAILED, 2,
				"n2"));
		Map<String, Object> row = row(id);
		assertThat(row.get("status")).isEqualTo("FAILED");
		assertThat(row.get("lease_until")).isNull();
		assertThat(row.get("finished_at")).isNotNull();
		assertThat(row.get("error_type")).isEqualTo("dev.backgroundtasks.LeaseExpiredException");
		assertThat(row.get("error_message"))
			.isEqualTo("Node n2 stopped heartbeating during attempt 2 and no attempts are left");
	}

	@DatabaseTest
	void anExecutionAskedToStopIsCancelled(String database) {
		open(database);
		UUID id = insert(3);
		this.store.claim("n1", 1, EXPIRED);
		assertThat(this.store.requestCancel(id)).isTrue();
		assertThat(this.recovery.recover()).containsExactly(new RecoveredExecution(id, "report",
				TaskStatus.CANCELLED, 1, "n1"));
		Map<String, Object> row = row(id);
		assertThat(row.get("status")).isEqualTo("CANCELLED");
		assertThat(row.get("lease_until")).isNull();
		assertThat(row.get("finished_at")).isNotNull();
		assertThat(row.get("error_type")).isNull();
	}

	@DatabaseTest
	void oneRecoveryMovesEachExecutionToItsOwnState(String database) {
		open(database);
		UUID retried = insert(3);
		UUID failed = insert(1);
		UUID cancelled = insert(3);
		assertThat(this.store.claim("n1", 3, EXPIRED)).hasSize(3);
		this.store.requestCancel(cancelled);
		assertThat(this.recovery.recover()).containsExactlyInAnyOrder(
				new RecoveredExecution(retried, "report", TaskStatus.READY, 1, "n1"),
				new RecoveredExecution(failed, "report", TaskStatus.FAILED, 1, "n1"),
				new RecoveredExecution(cancelled, "report", TaskStatus.CANCELLED, 1, "n1"));
		assertThat(this.store.status(retried)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.status(failed)).isEqualTo(TaskStatus.FAILED);
		assertThat(this.store.status(cancelled)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.recovery.recover()).isEmpty();
	}

	@DatabaseTest
	void leavesLeasesThatHoldAndExecutionsThatAreNotRunning(String database) {
		open(database);
		UUID held = insert(1);
		this.store.claim("n1", 1, Duration.ofMinutes(1));
		UUID ready = insert(1);
		assertThat(this.recovery.recover()).isEmpty();
		assertThat(this.store.status(held)).isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.READY);
		assertThat(row(held, "attempt", Integer.class)).isEqualTo(1);
	}

	@DatabaseTest
	void nodesRecoveringAtOnceRecoverEachExecutionOnce(String database) throws Exception {
		open(database);
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			ids.add(insert(3));
		}
		assertThat(this.store.claim("n1", 50, EXPIRED)).hasSize(50);
		LeaseRecovery other = new LeaseRecovery(this.jdbc, this.transactions,
				new BatchCompletions(this.jdbc, this.transactions, BatchCallbackListener.NONE));
		CyclicBarrier start = new CyclicBarrier(2);
		CompletableFuture<List<RecoveredExecution>> first = CompletableFuture.supplyAsync(() -> recoverAfter(start,
				this.recovery));
		CompletableFuture<List<RecoveredExecution>> second = CompletableFuture.supplyAsync(() -> recoverAfter(start,
				other));
		List<UUID> recovered = new ArrayList<>();
		first.get(30, TimeUnit.SECONDS).forEach((execution) -> recovered.add(execution.id()));
		second.get(30, TimeUnit.SECONDS).forEach((execution) -> recovered.add(execution.id()));
		assertThat(recovered).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'READY' AND attempt = 1",
				Integer.class)).isEqualTo(50);
	}

	private static List<RecoveredExecution> recoverAfter(CyclicBarrier start, LeaseRecovery recovery) {
		try {
			start.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return recovery.recover();
	}

	private UUID insert(int maxAttempts) {
		return this.store.insert(new NewExecution(ExecutionIds.next(), "report", TaskTrigger.CODE, "{}", maxAttempts, 0,
				0, null, null, null, null));
	}

	private Map<String, Object> row(UUID id) {
		return this.jdbc.queryForMap("SELECT status, attempt, node, lease_until, finished_at, error_type, error_message"
				+ " FROM bgt_execution WHERE id = ?", id);
	}

	private <T> T row(UUID id, String column, Class<T> type) {
		return this.jdbc.queryForObject("SELECT " + column + " FROM bgt_execution WHERE id = ?", type, id);
	}

}
