package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The inserts of {@link ExecutionStore} that a unique index may refuse: a deduplication key held by an
 * active execution, and a fire time of a schedule stored before, also by concurrent callers. A
 * refused insert returns what exists and aborts no transaction of the caller's.
 */
class ExecutionStoreDuplicateContractTests extends AbstractExecutionStoreContractTests {

	private static final Instant FIRE_TIME = Instant.parse("2026-05-01T10:00:00Z");

	@Test
	void aSecondInsertWithTheKeyOfAnActiveExecutionReturnsTheFirstsId() {
		NewExecution first = keyed("report", "k1");
		assertThat(this.store.insert(first)).isEqualTo(first.id());
		assertThat(this.store.insert(keyed("report", "k1"))).as("while READY").isEqualTo(first.id());
		this.store.claim(first.id(), "n1", LEASE);
		assertThat(this.store.insert(keyed("report", "k1"))).as("while RUNNING").isEqualTo(first.id());
		NewExecution otherTask = keyed("digest", "k1");
		assertThat(this.store.insert(otherTask)).isEqualTo(otherTask.id());
		NewExecution otherKey = keyed("report", "k2");
		assertThat(this.store.insert(otherKey)).isEqualTo(otherKey.id());
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isEqualTo(3);
	}

	@Test
	void theKeyIsFreeAgainOnceItsHolderFinished() {
		NewExecution succeeded = keyed("report", "k1");
		this.store.insert(succeeded);
		this.store.complete(this.store.claim(succeeded.id(), "n1", LEASE), null);
		NewExecution cancelled = keyed("report", "k1");
		assertThat(this.store.insert(cancelled)).isEqualTo(cancelled.id());
		this.store.cancel(cancelled.id());
		NewExecution third = keyed("report", "k1");
		assertThat(this.store.insert(third)).isEqualTo(third.id());
		assertThat(this.store.status(third.id())).isEqualTo(TaskStatus.READY);
		assertThat(this.store.insert(keyed("report", "k1"))).isEqualTo(third.id());
	}

	@Test
	void aDuplicateKeyAbortsNoTransactionOfTheCallers() {
		NewExecution holder = keyed("report", "k1");
		this.store.insert(holder);
		UUID before = ExecutionIds.next();
		UUID after = ExecutionIds.next();
		this.transactions.executeWithoutResult((status) -> {
			this.store.insert(NewExecution.of(before, "report", TaskTrigger.CODE, "{}"));
			assertThat(this.store.insert(keyed("report", "k1"))).isEqualTo(holder.id());
			// Fails when the duplicate aborted the transaction (PostgreSQL aborts it on any error).
			this.store.insert(NewExecution.of(after, "report", TaskTrigger.CODE, "{}"));
		});
		assertThat(this.store.status(before)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.status(after)).isEqualTo(TaskStatus.READY);
	}

	@Test
	void insertScheduledStoresEachFireTimeOfATaskAndScheduleOnce() {
		assertThat(this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME))).isTrue();
		assertThat(this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME))).as("same fire time").isFalse();
		assertThat(this.store.insertScheduled(tick("report", "cron @daily UTC", FIRE_TIME))).isTrue();
		assertThat(this.store.insertScheduled(tick("digest", "every PT1S", FIRE_TIME))).isTrue();
		assertThat(this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME.plusSeconds(1)))).isTrue();
		assertThat(this.jdbc.queryForList("SELECT CONCAT_WS(' ', task_name, schedule_id, status,"
				+ " trigger_type) FROM bgt_execution ORDER BY task_name, schedule_id, fire_time", String.class))
			.containsExactly("digest every PT1S READY SCHEDULE", "report cron @daily UTC READY SCHEDULE",
					"report every PT1S READY SCHEDULE", "report every PT1S READY SCHEDULE");
	}

	@Test
	void aFireTimeStoredAgainIsRefusedAlsoOnceItsExecutionFinished() {
		NewExecution first = tick("report", "every PT1S", FIRE_TIME);
		this.store.insertScheduled(first);
		this.store.complete(this.store.claim(first.id(), "n1", LEASE), null);
		assertThat(this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME))).isFalse();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isOne();
	}

	@Test
	void aFireTimeStoredAgainAbortsNoTransactionOfTheCallers() {
		this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME));
		NewExecution next = tick("report", "every PT1S", FIRE_TIME.plusSeconds(1));
		this.transactions.executeWithoutResult((status) -> {
			assertThat(this.store.insertScheduled(tick("report", "every PT1S", FIRE_TIME))).isFalse();
			assertThat(this.store.insertScheduled(next)).isTrue();
		});
		assertThat(this.store.status(next.id())).isEqualTo(TaskStatus.READY);
	}

	@Test
	void concurrentInsertsOfTheSameFireTimesStoreEachOnce() throws Exception {
		int nodes = 4;
		int fireTimes = 30;
		CyclicBarrier start = new CyclicBarrier(nodes);
		ExecutorService executor = Executors.newFixedThreadPool(nodes);
		try {
			List<Future<List<Instant>>> results = new ArrayList<>();
			for (int i = 0; i < nodes; i++) {
				results.add(executor.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					List<Instant> stored = new ArrayList<>();
					for (int second = 0; second < fireTimes; second++) {
						Instant fireTime = FIRE_TIME.plusSeconds(second);
						if (this.store.insertScheduled(tick("report", "every PT1S", fireTime))) {
							stored.add(fireTime);
						}
					}
					return stored;
				}));
			}
			List<Instant> stored = new ArrayList<>();
			for (Future<List<Instant>> result : results) {
				stored.addAll(result.get(30, TimeUnit.SECONDS));
			}
			assertThat(stored).doesNotHaveDuplicates().hasSize(fireTimes);
		}
		finally {
			// When one thread failed, the others still insert: let them end before the next test's clean-up.
			executor.shutdownNow();
			executor.awaitTermination(30, TimeUnit.SECONDS);
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Integer.class)).isEqualTo(fireTimes);
	}

	/**
	 * Two callers wait on a third's uncommitted insert of the same key, which then rolls back: on MariaDB
	 * a plain insert would make them deadlock on the row (each holds a shared lock and wants an exclusive
	 * one), and the loser's whole transaction would be rolled back.
	 */
	@Test
	void callersWaitingOnAKeyWhoseHolderRollsBackAbortNoTransaction() throws Exception {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(3);
		try {
			Future<?> holder = executor.submit(() -> this.transactions.executeWithoutResult((status) -> {
				this.store.insert(keyed("report", "k1"));
				held.countDown();
				await(release);
				status.setRollbackOnly();
			}));
			assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
			List<Future<UUID>> waiters = new ArrayList<>();
			List<UUID> markers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				UUID marker = ExecutionIds.next();
				markers.add(marker);
				waiters.add(executor.submit(() -> this.transactions.execute((status) -> {
					UUID id = this.store.insert(keyed("report", "k1"));
					this.store.insert(NewExecution.of(marker, "report", TaskTrigger.CODE, "{}"));
					return id;
				})));
			}
			// Both are waiting on the holder's row lock by now (or will be, which tests the same).
			Thread.sleep(500);
			release.countDown();
			holder.get(10, TimeUnit.SECONDS);
			UUID first = waiters.get(0).get(20, TimeUnit.SECONDS);
			UUID second = waiters.get(1).get(20, TimeUnit.SECONDS);
			assertThat(first).as("both callers got the one execution of the key").isEqualTo(second);
			assertThat(this.store.status(first)).isEqualTo(TaskStatus.READY);
			for (UUID marker : markers) {
				assertThat(this.store.status(marker)).as("the callers' transactions committed").isEqualTo(TaskStatus.READY);
			}
		}
		finally {
			release.countDown();
			executor.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE dedup_key = 'k1'", Integer.class))
			.isOne();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void insertScheduledTakesOnlyFireTimesOfSchedules() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store
			.insertScheduled(NewExecution.of(ExecutionIds.next(), "report", TaskTrigger.SCHEDULE, "{}")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.insertScheduled(new NewExecution(
				ExecutionIds.next(), "report", TaskTrigger.SCHEDULE, "{}", 1, 0, 0, null, null, "key", null, null,
				"every PT1S", FIRE_TIME, null)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.insertScheduled(new NewExecution(
				ExecutionIds.next(), "report", TaskTrigger.SCHEDULE, "{}", 1, 0, 0, null, null, null, null, null,
				"every PT1S", null, null)));
		assertThat(this.store.countReady()).isZero();
	}

	private static NewExecution keyed(String task, String key) {
		return new NewExecution(ExecutionIds.next(), task, TaskTrigger.API, "{}", 1, 0, 0, null, null, key, null);
	}

	private static NewExecution tick(String task, String scheduleId, Instant fireTime) {
		return NewExecution.scheduled(ExecutionIds.next(), task, scheduleId, fireTime, 1, 0);
	}

}
