package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Batches in {@link ExecutionStore}: the batch and its members are stored in one transaction, all or
 * nothing; when the last member ends, whichever way, the batch is done and its callback stored exactly
 * once, with the counts per terminal state, even when the last members end at once on several threads;
 * the sweep of the lease recovery ends a batch whose last member's end did not.
 */
class ExecutionStoreBatchContractTests extends AbstractExecutionStoreContractTests {

	private static final ExecutionError ERROR = new ExecutionError("java.io.IOException", "disk full", "trace");

	private final List<NewExecution> callbacks = new CopyOnWriteArrayList<>();

	@BeforeEach
	void storeWithListener() {
		this.callbacks.clear();
		this.store = new JdbcExecutionStore(this.jdbc, this.dialect, this.transactions,
				this.dialect.ownTransactions(this.transactions), () -> false, this.callbacks::add);
	}

	@Test
	void batchAndMembersAreStoredTogetherOrNotAtAll() {
		UUID batch = ExecutionIds.next();
		UUID duplicate = ExecutionIds.next();
		List<NewExecution> members = List.of(member(batch, duplicate, 3), member(batch, ExecutionIds.next(), 3),
				member(batch, duplicate, 3));
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.store.insertBatch(callback(batch, true, true), members));
		assertThat(this.store.batch(batch)).isNull();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE batch_id = ?", Integer.class, batch))
			.isZero();
		UUID stored = insertBatch(3, callback(ExecutionIds.next(), true, true));
		BatchState state = this.store.batch(stored);
		assertThat(state.size()).isEqualTo(3);
		assertThat(state.done()).isFalse();
		assertThat(state.counts()).containsExactlyInAnyOrderEntriesOf(Map.of(TaskStatus.READY, 3, TaskStatus.SUCCESSFUL,
				0, TaskStatus.FAILED, 0, TaskStatus.CANCELLED, 0));
		assertThat(this.store.batch(UUID.randomUUID())).isNull();
	}

	@Test
	void callbackIsStoredOnceWhenTheLastMemberEndsWithTheCountsOfEveryKindOfEnd() {
		UUID batch = insertBatch(5, callback(ExecutionIds.next(), true, true));
		List<ClaimedExecution> claims = this.store.claim("n1", 4, LEASE);
		assertThat(claims).hasSize(4).allSatisfy((claim) -> assertThat(claim.batchId()).isEqualTo(batch));
		UUID ready = memberIds(batch).stream().filter((id) -> this.store.status(id) == TaskStatus.READY).findFirst()
			.orElseThrow();
		this.store.complete(claims.get(0), "1");
		this.store.completeAll(List.of(new Completion(claims.get(1), "2")));
		this.store.fail(claims.get(2), ERROR);
		this.store.cancel(ready);
		assertThat(this.store.batch(batch).done()).isFalse();
		assertThat(this.callbacks).isEmpty();
		assertThat(this.store.batch(batch).counts()).containsEntry(TaskStatus.RUNNING, 1)
			.containsEntry(TaskStatus.SUCCESSFUL, 2)
			.containsEntry(TaskStatus.FAILED, 1)
			.containsEntry(TaskStatus.CANCELLED, 1);
		this.store.requestCancel(claims.get(3).id());
		this.store.cancelled(claims.get(3));
		BatchState done = this.store.batch(batch);
		assertThat(done.done()).isTrue();
		assertThat(done.finishedAt()).isNotNull();
		assertThat(done.counts()).containsExactlyInAnyOrderEntriesOf(
				Map.of(TaskStatus.SUCCESSFUL, 2, TaskStatus.FAILED, 1, TaskStatus.CANCELLED, 2));
		assertThat(this.callbacks).hasSize(1);
		NewExecution callback = this.callbacks.get(0);
		assertThat(done.callbackId()).isEqualTo(callback.id());
		Map<String, Object> row = row(callback.id());
		assertThat(row).containsEntry("status", "READY")
			.containsEntry("task_name", "report")
			.containsEntry("trigger_type", "API")
			.containsEntry("max_attempts", 2)
			.containsEntry("submitted_by", "alice")
			.containsEntry("batch_id", null);
		assertThat(row.get("params")).isEqualTo("{\"to\":\"ops\",\"batchId\":\"" + batch
				+ "\",\"counts\":{\"SUCCESSFUL\":2,\"FAILED\":1,\"CANCELLED\":2}}");
		// Nothing later stores it again: not the sweep, nor another look at the batch.
		this.store.recoverExpiredLeases();
		assertThat(this.callbacks).hasSize(1);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'report'",
				Integer.class)).isEqualTo(1);
	}

	@Test
	void endsThatLeaveMembersToRunAgainDoNotEndTheBatch() {
		UUID batch = insertBatch(1, 3, callback(ExecutionIds.next(), false, false));
		ClaimedExecution first = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.retry(first, ERROR, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution second = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.snooze(second, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution third = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.handBack(third)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.batch(batch).done()).isFalse();
		assertThat(this.callbacks).isEmpty();
		this.store.complete(this.store.claim("n1", 1, LEASE).get(0), null);
		assertThat(this.store.batch(batch).done()).isTrue();
		assertThat(this.callbacks).singleElement()
			.satisfies((callback) -> assertThat(callback.params()).isEqualTo("{\"to\":\"ops\"}"));
	}

	@Test
	void aLeaseThatExpiresOnTheLastAttemptEndsTheBatch() {
		UUID batch = insertBatch(2, 1, null);
		List<ClaimedExecution> claims = this.store.claim("n1", 2, LEASE);
		this.store.complete(claims.get(0), null);
		expireLease(claims.get(1).id());
		assertThat(this.store.recoverExpiredLeases()).singleElement()
			.satisfies((recovered) -> assertThat(recovered.status()).isEqualTo(TaskStatus.FAILED));
		BatchState done = this.store.batch(batch);
		assertThat(done.done()).isTrue();
		assertThat(done.callbackId()).isNull();
		assertThat(done.counts()).containsEntry(TaskStatus.SUCCESSFUL, 1).containsEntry(TaskStatus.FAILED, 1);
		assertThat(this.callbacks).isEmpty();
	}

	@Test
	void theSweepEndsABatchWhoseLastMemberEndedWithoutEndingIt() {
		UUID batch = insertBatch(2, 1, callback(ExecutionIds.next(), true, false));
		// As if the node died between the member's end and the look at its batch.
		this.jdbc.update("UPDATE bgt_execution SET status = 'SUCCESSFUL', finished_at = CURRENT_TIMESTAMP WHERE batch_id = ?",
				batch);
		UUID open = insertBatch(1, 1, callback(ExecutionIds.next(), true, false));
		assertThat(this.store.batch(batch).done()).isFalse();
		this.store.recoverExpiredLeases();
		assertThat(this.store.batch(batch).done()).isTrue();
		assertThat(this.store.batch(open).done()).isFalse();
		assertThat(this.callbacks).singleElement()
			.satisfies((callback) -> assertThat(callback.params()).isEqualTo("{\"to\":\"ops\",\"batchId\":\"" + batch
					+ "\"}"));
	}

	@Test
	void lastMembersEndingAtOnceOnSeveralThreadsStoreOneCallback() throws Exception {
		int threads = 4;
		int rounds = 25;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<UUID> batches = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				UUID batch = insertBatch(threads, 1, callback(ExecutionIds.next(), false, true));
				batches.add(batch);
				// Members only: the callbacks of earlier rounds stay READY.
				List<ClaimedExecution> claims = this.store.claim("n1", threads, LEASE, List.of("task"));
				assertThat(claims).hasSize(threads).allSatisfy((claim) -> assertThat(claim.batchId()).isEqualTo(batch));
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<?>> ends = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					ClaimedExecution claim = claims.get(i);
					boolean fails = i % 2 == 1;
					boolean batched = i == 0;
					ends.add(executor.submit(() -> {
						start.await(10, TimeUnit.SECONDS);
						if (fails) {
							this.store.fail(claim, ERROR);
						}
						else if (batched) {
							this.store.completeAll(List.of(new Completion(claim, null)));
						}
						else {
							this.store.complete(claim, null);
						}
						return null;
					}));
				}
				for (Future<?> end : ends) {
					end.get(30, TimeUnit.SECONDS);
				}
			}
			assertThat(this.callbacks).hasSize(rounds);
			assertThat(this.callbacks.stream().map(NewExecution::params).toList())
				.allMatch((params) -> params.endsWith("\"counts\":{\"SUCCESSFUL\":2,\"FAILED\":2,\"CANCELLED\":0}}"));
			for (UUID batch : batches) {
				assertThat(this.store.batch(batch).done()).isTrue();
			}
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'report'",
					Integer.class)).isEqualTo(rounds);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void retentionKeepsTheEndedMembersOfABatchThatIsNotDone() {
		UUID open = insertBatch(2, 1, null);
		List<ClaimedExecution> claims = this.store.claim("n1", 2, LEASE);
		this.store.complete(claims.get(0), null);
		UUID done = insertBatch(1, 1, null);
		this.store.complete(this.store.claim("n1", 1, LEASE).get(0), null);
		this.jdbc.update("UPDATE bgt_execution SET finished_at = CURRENT_TIMESTAMP - INTERVAL '2' DAY"
				+ " WHERE status = 'SUCCESSFUL'");
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(1), 100)).isEqualTo(1);
		assertThat(memberIds(done)).isEmpty();
		assertThat(memberIds(open)).hasSize(2);
		this.store.complete(claims.get(1), null);
		assertThat(this.store.batch(open).counts()).containsEntry(TaskStatus.SUCCESSFUL, 2);
		this.jdbc.update("UPDATE bgt_execution SET finished_at = CURRENT_TIMESTAMP - INTERVAL '2' DAY"
				+ " WHERE status = 'SUCCESSFUL'");
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(1), 100)).isEqualTo(2);
		assertThat(this.store.batch(open).counts()).as("kept with the batch").containsEntry(TaskStatus.SUCCESSFUL, 2);
	}

	@Test
	void callbackParamsGainOnlyWhatTheTaskTakes() {
		UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
		Map<TaskStatus, Integer> counts = Map.of(TaskStatus.SUCCESSFUL, 1, TaskStatus.FAILED, 0, TaskStatus.CANCELLED, 0);
		assertThat(BatchCompletions.callbackParams("{}", id, counts, true, false))
			.isEqualTo("{\"batchId\":\"" + id + "\"}");
		assertThat(BatchCompletions.callbackParams("{}", id, counts, false, false)).isEqualTo("{}");
		assertThat(BatchCompletions.callbackParams("{\"a\":[1,{}]}", id, counts, false, true))
			.startsWith("{\"a\":[1,{}],\"counts\":{")
			.contains("\"SUCCESSFUL\":1");
	}

	private UUID insertBatch(int size, NewBatch batch) {
		return insertBatch(size, 3, batch);
	}

	private UUID insertBatch(int size, int maxAttempts, NewBatch batch) {
		NewBatch stored = (batch != null) ? batch : NewBatch.withoutCallback(ExecutionIds.next(), TaskTrigger.CODE);
		List<NewExecution> members = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			members.add(member(stored.id(), ExecutionIds.next(), maxAttempts));
		}
		this.store.insertBatch(stored, members);
		return stored.id();
	}

	private static NewExecution member(UUID batch, UUID id, int maxAttempts) {
		return new NewExecution(id, "task", TaskTrigger.API, "{}", maxAttempts, 0, 0, null, null, null, null, null, null,
				null, null).inBatch(batch);
	}

	private static NewBatch callback(UUID batch, boolean batchId, boolean counts) {
		return new NewBatch(batch, TaskTrigger.API, "report", "{\"to\":\"ops\"}", 2, 0, batchId, counts, null, "alice");
	}

	private Set<UUID> memberIds(UUID batch) {
		return Set.copyOf(this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE batch_id = ?", UUID.class, batch));
	}

}
