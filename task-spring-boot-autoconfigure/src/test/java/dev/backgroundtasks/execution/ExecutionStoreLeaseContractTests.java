package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leases of {@link ExecutionStore}: a node's heartbeat extends the leases it still holds, and only
 * those; an expired lease is recovered as a lost attempt, to {@code READY}, {@code FAILED} or
 * {@code CANCELLED}. Leases expire here by setting {@code lease_until} in the past.
 */
class ExecutionStoreLeaseContractTests extends AbstractExecutionStoreContractTests {

	@Test
	void heartbeatExtendsOnlyTheLeasesTheNodeStillHolds() {
		UUID held = insert();
		UUID given = insert();
		UUID otherNodes = insert();
		this.store.claim("n1", 2, Duration.ofSeconds(1));
		this.store.claim("n2", 1, Duration.ofSeconds(1));
		assertThat(this.store.extendLeases("n1", List.of(held, otherNodes, UUID.randomUUID()), LEASE)).containsExactly(held);
		assertThat(millisFromNow("lease_until", held)).isGreaterThan(20_000);
		assertThat(millisFromNow("lease_until", given)).isLessThan(2_000);
		assertThat(millisFromNow("lease_until", otherNodes)).isLessThan(2_000);
		assertThat(this.store.extendLeases("n1", List.of(), LEASE)).isEmpty();
	}

	@Test
	void heartbeatExtendsNoLeaseOfAnExecutionThatIsNoLongerRunning() {
		ClaimedExecution claim = claimed(1);
		this.store.complete(claim, null);
		UUID ready = insert();
		assertThat(this.store.extendLeases("n1", List.of(claim.id(), ready), LEASE)).isEmpty();
		assertThat(row(claim.id())).containsEntry("lease_until", null);
		assertThat(row(ready)).containsEntry("lease_until", null);
	}

	@Test
	void heartbeatSkipsRowsLockedByAnotherStatementInsteadOfWaiting() throws Exception {
		UUID locked = insert();
		UUID free = insert();
		this.store.claim("n1", 2, Duration.ofSeconds(1));
		CompletableFuture<Void> lockTaken = new CompletableFuture<>();
		CompletableFuture<Void> release = new CompletableFuture<>();
		CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult((status) -> {
			this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE id = ? FOR UPDATE", locked);
			lockTaken.complete(null);
			release.join();
		}));
		try {
			lockTaken.get(10, TimeUnit.SECONDS);
			CompletableFuture<Set<UUID>> extended = CompletableFuture
				.supplyAsync(() -> this.store.extendLeases("n1", List.of(locked, free), LEASE));
			assertThat(extended.get(10, TimeUnit.SECONDS)).containsExactly(free);
		}
		finally {
			release.complete(null);
			holder.get(10, TimeUnit.SECONDS);
		}
		assertThat(millisFromNow("lease_until", free)).isGreaterThan(20_000);
		assertThat(millisFromNow("lease_until", locked)).isLessThan(2_000);
	}

	@Test
	void expiredLeasesAreRecoveredByWhatIsLeftOfEachExecution() {
		ClaimedExecution attemptsLeft = claimed(2);
		ClaimedExecution lastAttempt = claimed(1);
		ClaimedExecution cancelling = claimed(3);
		ClaimedExecution alive = claimed(1);
		this.store.requestCancel(cancelling.id());
		expireLease(attemptsLeft.id());
		expireLease(lastAttempt.id());
		expireLease(cancelling.id());
		assertThat(this.store.recoverExpiredLeases()).containsExactlyInAnyOrder(
				new RecoveredExecution(attemptsLeft.id(), "task", TaskStatus.READY, 1, "n1"),
				new RecoveredExecution(lastAttempt.id(), "task", TaskStatus.FAILED, 1, "n1"),
				new RecoveredExecution(cancelling.id(), "task", TaskStatus.CANCELLED, 1, "n1"));
		assertThat(this.store.status(attemptsLeft.id())).isEqualTo(TaskStatus.READY);
		assertThat(row(lastAttempt.id())).containsEntry("status", "FAILED")
			.containsEntry("error_type", "dev.backgroundtasks.LeaseExpiredException")
			.containsEntry("lease_until", null);
		assertThat((String) row(lastAttempt.id()).get("error_message")).contains("n1").contains("no attempts are left");
		assertThat(millisFromNow("finished_at", lastAttempt.id())).isBetween(-60_000L, 0L);
		assertThat(row(cancelling.id())).containsEntry("status", "CANCELLED").containsEntry("lease_until", null);
		assertThat(millisFromNow("finished_at", cancelling.id())).isBetween(-60_000L, 0L);
		assertThat(this.store.status(alive.id())).as("its lease holds").isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.recoverExpiredLeases()).isEmpty();
	}

	@Test
	void anExecutionRecoveredWithAttemptsLeftRunsAgainAsItsNextAttempt() {
		ClaimedExecution lost = claimed(2);
		expireLease(lost.id());
		this.store.recoverExpiredLeases();
		assertThat(row(lost.id())).containsEntry("status", "READY")
			.containsEntry("attempt", 1)
			.containsEntry("node", null)
			.containsEntry("lease_until", null)
			.containsEntry("error_type", "dev.backgroundtasks.LeaseExpiredException");
		assertThat((String) row(lost.id()).get("error_message")).contains("n1");
		assertThat(this.store.complete(lost, null)).as("the lost attempt is fenced out").isFalse();
		ClaimedExecution next = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(next.id()).isEqualTo(lost.id());
		assertThat(next.attempt()).isEqualTo(2);
	}

}
