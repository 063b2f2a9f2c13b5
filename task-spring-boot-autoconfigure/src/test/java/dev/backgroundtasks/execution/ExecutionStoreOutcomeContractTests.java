package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ends of attempts in {@link ExecutionStore}: success, failure and retry, hand-back and stop, each
 * fenced on the node and attempt of the claim; and cancelling, at once for a {@code READY} execution,
 * by request for a {@code RUNNING} one.
 */
class ExecutionStoreOutcomeContractTests extends AbstractExecutionStoreContractTests {

	private static final ExecutionError ERROR = new ExecutionError("java.io.IOException", "disk full",
			"java.io.IOException: disk full\n\tat x.y(Z.java:1)");

	@Test
	void outcomeIsFencedOnNodeAndAttempt() {
		insert();
		ClaimedExecution claim = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.complete(otherNode(claim), "1")).isFalse();
		assertThat(this.store.fail(olderAttempt(claim), ERROR)).isNull();
		assertThat(this.store.complete(claim, "42")).isTrue();
		assertThat(this.store.status(claim.id())).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.store.fail(claim, ERROR)).as("no move out of a final state").isNull();
		assertThat(row(claim.id())).containsEntry("result", "42").containsEntry("lease_until", null);
		assertThat(millisFromNow("finished_at", claim.id())).isBetween(-60_000L, 0L);
	}

	@Test
	void completeAllWritesEveryClaimThatStillHoldsInOneGo() {
		insert();
		insert();
		insert();
		List<ClaimedExecution> claims = this.store.claim("n1", 3, LEASE);
		ClaimedExecution stale = otherNode(claims.get(2));
		Set<UUID> written = this.store.completeAll(List.of(new Completion(claims.get(0), "1"),
				new Completion(claims.get(1), null), new Completion(stale, "\"stale\"")));
		assertThat(written).containsExactlyInAnyOrder(claims.get(0).id(), claims.get(1).id());
		assertThat(this.store.status(claims.get(0).id())).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.store.status(claims.get(1).id())).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.store.status(claims.get(2).id())).as("fenced out").isEqualTo(TaskStatus.RUNNING);
		assertThat(row(claims.get(0).id())).containsEntry("result", "1");
		assertThat(row(claims.get(2).id())).containsEntry("result", null);
		assertThat(this.store.completeAll(List.of(new Completion(claims.get(0), "again"))))
			.as("again, as after a lost commit reply: the outcome this claim wrote")
			.containsExactly(claims.get(0).id());
		assertThat(row(claims.get(0).id())).as("written once").containsEntry("result", "1");
		assertThat(this.store.completeAll(List.of())).isEmpty();
	}

	@Test
	void failureKeepsTypeMessageAndStackTrace() {
		ClaimedExecution claim = claimed(3);
		assertThat(this.store.fail(otherNode(claim), ERROR)).isNull();
		assertThat(this.store.fail(claim, ERROR)).isEqualTo(TaskStatus.FAILED);
		assertThat(row(claim.id())).containsEntry("status", "FAILED")
			.containsEntry("error_type", "java.io.IOException")
			.containsEntry("error_message", "disk full")
			.containsEntry("error_stack_trace", ERROR.stackTrace())
			.containsEntry("attempt", 1)
			.containsEntry("lease_until", null);
		assertThat(millisFromNow("finished_at", claim.id())).isBetween(-60_000L, 0L);
		assertThat(this.store.claim("n1", 10, LEASE)).as("never retried").isEmpty();
	}

	@Test
	void retryMakesTheExecutionReadyAgainDueAfterTheDelayAndKeepsTheError() {
		ClaimedExecution claim = claimed(3);
		assertThat(this.store.retry(otherNode(claim), ERROR, Duration.ofHours(1))).isNull();
		assertThat(this.store.retry(claim, ERROR, Duration.ofHours(1))).isEqualTo(TaskStatus.READY);
		assertThat(row(claim.id())).containsEntry("status", "READY")
			.containsEntry("attempt", 1)
			.containsEntry("node", null)
			.containsEntry("lease_until", null)
			.containsEntry("error_type", "java.io.IOException")
			.containsEntry("error_message", "disk full")
			.containsEntry("error_stack_trace", ERROR.stackTrace());
		assertThat(millisFromNow("run_at", claim.id())).isBetween(3_540_000L, 3_600_000L);
		assertThat(this.store.claim("n1", 10, LEASE)).as("not due before the delay").isEmpty();
		assertThat(this.store.retry(claim, ERROR, Duration.ZERO)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.READY);
		assertThat(millisFromNow("run_at", claim.id())).as("written once").isGreaterThan(3_000_000L);
		this.jdbc.update("UPDATE bgt_execution SET run_at = CURRENT_TIMESTAMP WHERE id = ?", claim.id());
		ClaimedExecution next = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(next.attempt()).isEqualTo(2);
		assertThat(this.store.complete(claim, null)).as("the first attempt is fenced out").isFalse();
		assertThat(this.store.complete(next, null)).isTrue();
		assertThat(row(claim.id())).as("success clears the error").containsEntry("error_type", null);
	}

	@Test
	void handBackMakesTheExecutionReadyWithoutCountingTheAttempt() {
		ClaimedExecution claim = claimed(1);
		assertThat(this.store.handBack(otherNode(claim))).isNull();
		assertThat(this.store.handBack(claim)).isEqualTo(TaskStatus.READY);
		assertThat(row(claim.id())).containsEntry("status", "READY")
			.as("the attempt number never goes down")
			.containsEntry("attempt", 1)
			.containsEntry("node", null)
			.containsEntry("lease_until", null);
		assertThat(this.store.handBack(claim)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.READY);
		ClaimedExecution again = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(again.attempt()).as("its only attempt, still to make, under the same number").isEqualTo(1);
		assertThat(again.claimToken()).as("a new token").isGreaterThan(claim.claimToken());
		assertThat(this.store.complete(claim, null)).isFalse();
		assertThat(this.store.complete(again, null)).isTrue();
	}

	@Test
	void snoozeMakesTheExecutionReadyAfterTheDelayWithoutCountingTheAttemptAndCountsTheSnooze() {
		ClaimedExecution first = claimed(3);
		assertThat(this.store.retry(first, ERROR, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution claim = this.store.claim("n1", 10, LEASE).get(0);
		assertThat(claim.attempt()).isEqualTo(2);
		assertThat(this.store.snooze(otherNode(claim), Duration.ofHours(1))).isNull();
		assertThat(this.store.snooze(claim, Duration.ofHours(1))).isEqualTo(TaskStatus.READY);
		assertThat(row(claim.id())).containsEntry("status", "READY")
			.containsEntry("attempt", 2)
			.containsEntry("snoozes", 1)
			.containsEntry("node", null)
			.containsEntry("lease_until", null)
			.as("the error of the failed attempt before is kept")
			.containsEntry("error_type", "java.io.IOException");
		assertThat(millisFromNow("run_at", claim.id())).isBetween(3_540_000L, 3_600_000L);
		assertThat(this.store.claim("n1", 10, LEASE)).as("not due before the delay").isEmpty();
		assertThat(this.store.snooze(claim, Duration.ZERO)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.READY);
		assertThat(row(claim.id())).as("written once").containsEntry("snoozes", 1);
		this.jdbc.update("UPDATE bgt_execution SET run_at = CURRENT_TIMESTAMP WHERE id = ?", claim.id());
		ClaimedExecution again = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(again.attempt()).as("the same attempt, still to make").isEqualTo(2);
		assertThat(this.store.complete(claim, null)).as("the snoozed claim is fenced out").isFalse();
		assertThat(this.store.snooze(again, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution third = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(third.attempt()).isEqualTo(2);
		assertThat(third.hasAttemptsLeft()).isTrue();
		assertThat(this.store.complete(third, "42")).isTrue();
		assertThat(row(claim.id())).containsEntry("status", "SUCCESSFUL").containsEntry("attempt", 2)
			.containsEntry("snoozes", 2);
	}

	@Test
	void aCancelRequestOutlivesASnooze() {
		ClaimedExecution claim = claimed(3);
		this.store.requestCancel(claim.id(), "alice");
		assertThat(this.store.snooze(claim, Duration.ZERO)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.claim("n2", 10, LEASE)).as("not run again").isEmpty();
		assertThat(row(claim.id())).containsEntry("status", "CANCELLED")
			.containsEntry("cancelled_by", "alice")
			.containsEntry("snoozes", 0)
			.containsEntry("lease_until", null);
	}

	@Test
	void aCancelRequestOutlivesAFailedAttemptWithAttemptsLeft() {
		ClaimedExecution claim = claimed(3);
		this.store.requestCancel(claim.id(), "alice");
		assertThat(this.store.retry(claim, ERROR, Duration.ZERO)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.claim("n2", 10, LEASE)).as("not run again").isEmpty();
		assertThat(row(claim.id())).containsEntry("status", "CANCELLED")
			.containsEntry("attempt", 1)
			.containsEntry("cancelled_by", "alice")
			.containsEntry("error_type", "java.io.IOException")
			.containsEntry("error_message", "disk full")
			.containsEntry("lease_until", null);
		assertThat(this.store.retry(claim, ERROR, Duration.ZERO)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void aCancelRequestOutlivesAFinalFailure() {
		ClaimedExecution claim = claimed(1);
		this.store.requestCancel(claim.id(), "alice");
		assertThat(this.store.fail(claim, ERROR)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(row(claim.id())).containsEntry("status", "CANCELLED")
			.containsEntry("cancelled_by", "alice")
			.containsEntry("error_message", "disk full")
			.containsEntry("lease_until", null);
		assertThat(this.store.fail(claim, ERROR)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void aCancelRequestOutlivesAHandBack() {
		ClaimedExecution claim = claimed(1);
		this.store.requestCancel(claim.id(), "alice");
		// Ended as lease recovery ends an expired execution whose cancelling was asked.
		assertThat(this.store.handBack(claim)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.claim("n2", 10, LEASE)).isEmpty();
		assertThat(row(claim.id())).containsEntry("status", "CANCELLED")
			.containsEntry("attempt", 1)
			.containsEntry("cancelled_by", "alice")
			.containsEntry("lease_until", null);
		assertThat(millisFromNow("finished_at", claim.id())).isBetween(-60_000L, 0L);
		assertThat(this.store.handBack(claim)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void cancelledEndsARunningExecutionFencedOnItsClaim() {
		ClaimedExecution claim = claimed(3);
		this.store.requestCancel(claim.id());
		assertThat(this.store.cancelled(otherNode(claim))).isFalse();
		assertThat(this.store.cancelled(claim)).isTrue();
		assertThat(row(claim.id())).containsEntry("status", "CANCELLED").containsEntry("lease_until", null);
		assertThat(millisFromNow("finished_at", claim.id())).isBetween(-60_000L, 0L);
		assertThat(this.store.cancelled(claim)).as("again, as after a lost commit reply: the outcome this claim wrote").isTrue();
		assertThat(this.store.cancelRequested("n1")).isEmpty();
	}

	@Test
	void cancelMovesOnlyReadyExecutions() {
		UUID ready = insert();
		assertThat(this.store.cancel(ready)).isTrue();
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(millisFromNow("finished_at", ready)).isBetween(-60_000L, 0L);
		assertThat(this.store.cancel(ready)).isFalse();
		UUID running = insert();
		assertThat(this.store.claim(running, "n1", LEASE)).isNotNull();
		assertThat(this.store.cancel(running)).isFalse();
		assertThat(this.store.status(running)).isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.cancel(UUID.randomUUID())).isFalse();
		assertThat(this.store.status(UUID.randomUUID())).isNull();
	}

	@Test
	void requestCancelFlagsOnlyRunningExecutionsForTheNodeThatRunsThem() {
		UUID ready = insert();
		assertThat(this.store.requestCancel(ready)).isFalse();
		assertThat(row(ready)).containsEntry("cancel_requested", false);
		ClaimedExecution mine = claimed(1);
		ClaimedExecution others = this.store.claim(insert(), "n2", LEASE);
		assertThat(this.store.requestCancel(mine.id())).isTrue();
		assertThat(this.store.status(mine.id())).as("not a state change").isEqualTo(TaskStatus.RUNNING);
		assertThat(this.store.cancelRequested("n1")).containsExactly(mine.id());
		assertThat(this.store.cancelRequested("n2")).isEmpty();
		assertThat(this.store.complete(mine, null)).as("the attempt may still end otherwise").isTrue();
		assertThat(this.store.cancelRequested("n1")).isEmpty();
		assertThat(this.store.requestCancel(mine.id())).isFalse();
		assertThat(this.store.requestCancel(others.id())).isTrue();
		assertThat(this.store.cancelRequested("n2")).containsExactly(others.id());
		assertThat(this.store.requestCancel(UUID.randomUUID())).isFalse();
	}

	private static ClaimedExecution otherNode(ClaimedExecution claim) {
		return new ClaimedExecution(claim.id(), claim.task(), claim.params(), claim.attempt(), "n9", claim.maxAttempts());
	}

	private static ClaimedExecution olderAttempt(ClaimedExecution claim) {
		return new ClaimedExecution(claim.id(), claim.task(), claim.params(), claim.attempt() - 1, claim.node(),
				claim.maxAttempts());
	}

}
