package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionAttempt.Outcome;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.ConnectionCallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attempt history of {@link ExecutionStore}: an attempt that a retry, a hand-back or a lease recovery
 * supersedes is kept as a past attempt (the last {@value PastAttempts#KEPT} of them), the execution's row
 * holds the current or last one, and retention deletes both. Read as {@link ExecutionQueries#attempts}
 * reads them.
 */
class ExecutionStoreAttemptContractTests extends AbstractExecutionStoreContractTests {

	private static final ExecutionError ERROR = new ExecutionError("java.io.IOException", "disk full",
			"java.io.IOException: disk full\n\tat x.y(Z.java:1)");

	private static final ExecutionError TIMEOUT = new ExecutionError(TaskTimeoutException.class.getName(),
			"Attempt 1 of task 'task' timed out after PT1S", "dev.backgroundtasks.TaskTimeoutException: ...");

	@Test
	void aFailedAttemptThatIsRetriedIsKeptBeforeTheAttemptThatSucceeds() {
		ClaimedExecution first = claimed(3);
		assertThat(attempts(first.id())).containsExactly(
				new ExecutionAttempt(1, "n1", first.startedAt(), null, Outcome.RUNNING, null));
		assertThat(this.store.retry(first, ERROR, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		List<ExecutionAttempt> waiting = attempts(first.id());
		assertThat(waiting).hasSize(1);
		assertPast(waiting.get(0), 1, "n1", Outcome.FAILED, ERROR);
		assertThat(waiting.get(0).startedAt()).isEqualTo(first.startedAt());
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(attempts(first.id())).element(1)
			.isEqualTo(new ExecutionAttempt(2, "n2", second.startedAt(), null, Outcome.RUNNING, null));
		assertThat(this.store.complete(second, "42")).isTrue();
		List<ExecutionAttempt> done = attempts(first.id());
		assertThat(done).hasSize(2);
		assertThat(done.get(0)).isEqualTo(waiting.get(0));
		assertThat(done.get(1).attempt()).isEqualTo(2);
		assertThat(done.get(1).node()).isEqualTo("n2");
		assertThat(done.get(1).outcome()).isEqualTo(Outcome.SUCCEEDED);
		assertThat(done.get(1).finishedAt()).isNotNull();
		assertThat(done.get(1).error()).isNull();
	}

	@Test
	void aSnoozedAttemptIsKeptAsSnoozedAndTheNextRunHasTheSameNumber() {
		ClaimedExecution first = claimed(3);
		assertThat(this.store.snooze(first, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(this.store.complete(second, null)).isTrue();
		List<ExecutionAttempt> attempts = attempts(first.id());
		assertThat(attempts).extracting(ExecutionAttempt::attempt).containsExactly(1, 1);
		assertThat(attempts).extracting(ExecutionAttempt::outcome).containsExactly(Outcome.SNOOZED, Outcome.SUCCEEDED);
		assertThat(attempts.get(0).node()).isEqualTo("n1");
		assertThat(attempts.get(0).error()).isNull();
		assertThat(attempts.get(0).finishedAt()).isNotNull();
	}

	@Test
	void anAttemptThatTimedOutIsRecordedAsTimedOut() {
		ClaimedExecution first = claimed(2);
		this.store.retry(first, TIMEOUT, Duration.ZERO);
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		this.store.fail(second, TIMEOUT);
		assertThat(attempts(first.id())).extracting(ExecutionAttempt::outcome)
			.containsExactly(Outcome.TIMED_OUT, Outcome.TIMED_OUT);
	}

	@Test
	void successAndTheFinalFailureWriteNoPastAttempt() {
		ClaimedExecution succeeds = claimed(1);
		this.store.complete(succeeds, null);
		ClaimedExecution fails = claimed(1);
		this.store.fail(fails, ERROR);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_attempt", Integer.class)).isZero();
		assertThat(attempts(succeeds.id())).extracting(ExecutionAttempt::outcome).containsExactly(Outcome.SUCCEEDED);
		assertThat(attempts(fails.id())).singleElement().satisfies((last) -> {
			assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
			assertThat(last.error()).isEqualTo(ERROR);
			assertThat(last.node()).isEqualTo("n1");
			assertThat(last.finishedAt()).isNotNull();
		});
	}

	@Test
	void aHandedBackAttemptIsKeptAndTheNextAttemptHasItsNumber() {
		ClaimedExecution first = claimed(1);
		assertThat(this.store.handBack(first)).isEqualTo(TaskStatus.READY);
		ClaimedExecution again = this.store.claim("n2", 10, LEASE).get(0);
		assertThat(again.attempt()).isEqualTo(1);
		this.store.fail(again, ERROR);
		List<ExecutionAttempt> attempts = attempts(first.id());
		assertThat(attempts).hasSize(2);
		assertPast(attempts.get(0), 1, "n1", Outcome.HANDED_BACK, null);
		assertPast(attempts.get(1), 1, "n2", Outcome.FAILED, ERROR);
	}

	@Test
	void aHandedBackAttemptHasNoErrorEvenAfterAFailedOne() {
		ClaimedExecution first = claimed(3);
		this.store.retry(first, ERROR, Duration.ZERO);
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		this.store.handBack(second);
		List<ExecutionAttempt> attempts = attempts(first.id());
		assertThat(attempts).hasSize(2);
		assertPast(attempts.get(0), 1, "n1", Outcome.FAILED, ERROR);
		assertPast(attempts.get(1), 2, "n2", Outcome.HANDED_BACK, null);
	}

	@Test
	void anExecutionClaimedAheadAndGivenBackUnstartedKeepsNoAttempt() {
		ClaimedExecution ahead = claimed(1);
		assertThat(this.store.handBackUnstarted(otherNode(ahead))).isNull();
		assertThat(this.store.handBackUnstarted(ahead)).isEqualTo(TaskStatus.READY);
		assertThat(row(ahead.id())).containsEntry("status", "READY").containsEntry("attempt", 1);
		assertThat(attempts(ahead.id())).isEmpty();
		assertThat(this.store.handBackUnstarted(ahead)).as("again, as after a lost commit reply: the outcome this claim wrote").isEqualTo(TaskStatus.READY);
		assertThat(this.store.claim("n2", 10, LEASE).get(0).attempt()).as("the same number again").isEqualTo(1);
	}

	@Test
	void aLostLeaseIsKeptAsLeaseExpiredAndEndsTheExecutionWhenNoAttemptsAreLeft() {
		ClaimedExecution first = claimed(2);
		expireLease(first.id());
		assertThat(this.store.recoverExpiredLeases()).extracting(RecoveredExecution::status)
			.containsExactly(TaskStatus.READY);
		List<ExecutionAttempt> waiting = attempts(first.id());
		assertThat(waiting).hasSize(1);
		assertThat(waiting.get(0).outcome()).isEqualTo(Outcome.LEASE_EXPIRED);
		assertThat(waiting.get(0).node()).isEqualTo("n1");
		assertThat(waiting.get(0).startedAt()).isEqualTo(first.startedAt());
		assertThat(waiting.get(0).finishedAt()).isNotNull();
		assertThat(waiting.get(0).error().type()).isEqualTo("dev.backgroundtasks.LeaseExpiredException");
		assertThat(waiting.get(0).error().message()).isEqualTo("Node n1 stopped heartbeating during attempt 1");
		assertThat(row(first.id())).as("the row holds the same error")
			.containsEntry("error_message", waiting.get(0).error().message())
			.containsEntry("error_stack_trace", "");
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		expireLease(second.id());
		assertThat(this.store.recoverExpiredLeases()).extracting(RecoveredExecution::status)
			.containsExactly(TaskStatus.FAILED);
		List<ExecutionAttempt> failed = attempts(first.id());
		assertThat(failed).hasSize(2);
		assertThat(failed.get(0)).isEqualTo(waiting.get(0));
		assertThat(failed.get(1).attempt()).isEqualTo(2);
		assertThat(failed.get(1).node()).isEqualTo("n2");
		assertThat(failed.get(1).outcome()).isEqualTo(Outcome.LEASE_EXPIRED);
		assertThat(failed.get(1).error().message()).contains("no attempts are left");
	}

	@Test
	void anExecutionNeverStartedHasNoAttemptsAndAnUnknownOneNone() {
		UUID ready = insert();
		assertThat(attempts(ready)).isEmpty();
		this.store.cancel(ready);
		assertThat(attempts(ready)).isEmpty();
		assertThat(attempts(UUID.randomUUID())).isEmpty();
	}

	@Test
	void anExecutionCancelledWhileWaitingForItsNextAttemptHasOnlyItsPastOnes() {
		ClaimedExecution first = claimed(3);
		this.store.retry(first, ERROR, Duration.ofHours(1));
		assertThat(this.store.cancel(first.id())).isTrue();
		List<ExecutionAttempt> attempts = attempts(first.id());
		assertThat(attempts).hasSize(1);
		assertPast(attempts.get(0), 1, "n1", Outcome.FAILED, ERROR);
	}

	@Test
	void anAttemptStoppedOnRequestEndsCancelledWithoutTheErrorOfTheAttemptBefore() {
		ClaimedExecution first = claimed(3);
		this.store.retry(first, ERROR, Duration.ZERO);
		ClaimedExecution second = this.store.claim("n2", 10, LEASE).get(0);
		this.store.requestCancel(second.id());
		assertThat(this.store.cancelled(second)).isTrue();
		List<ExecutionAttempt> attempts = attempts(first.id());
		assertThat(attempts).hasSize(2);
		assertPast(attempts.get(0), 1, "n1", Outcome.FAILED, ERROR);
		assertPast(attempts.get(1), 2, "n2", Outcome.CANCELLED, null);
	}

	@Test
	void anAttemptThatEndsCancelledInsteadOfRetriedOrHandedBackIsTheLast() {
		ClaimedExecution failing = claimed(3);
		this.store.requestCancel(failing.id());
		assertThat(this.store.retry(failing, ERROR, Duration.ZERO)).isEqualTo(TaskStatus.CANCELLED);
		List<ExecutionAttempt> failed = attempts(failing.id());
		assertThat(failed).hasSize(1);
		assertPast(failed.get(0), 1, "n1", Outcome.CANCELLED, ERROR);
		ClaimedExecution stopping = claimed(3);
		this.store.requestCancel(stopping.id());
		assertThat(this.store.handBack(stopping)).isEqualTo(TaskStatus.CANCELLED);
		List<ExecutionAttempt> stopped = attempts(stopping.id());
		assertThat(stopped).hasSize(1);
		assertPast(stopped.get(0), 1, "n1", Outcome.CANCELLED, null);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_attempt", Integer.class)).isZero();
	}

	@Test
	void onlyTheLastPastAttemptsOfAnExecutionAreKept() {
		UUID id = insert(1);
		int handBacks = PastAttempts.KEPT + 5;
		for (int i = 1; i <= handBacks; i++) {
			this.store.handBack(this.store.claim(id, "n" + i, LEASE));
		}
		List<ExecutionAttempt> attempts = attempts(id);
		assertThat(attempts).hasSize(PastAttempts.KEPT);
		assertThat(attempts.get(0).node()).isEqualTo("n6");
		assertThat(attempts.get(PastAttempts.KEPT - 1).node()).isEqualTo("n" + handBacks);
		assertThat(this.jdbc.queryForObject("SELECT MIN(seq) FROM bgt_attempt WHERE execution_id = ?", Integer.class,
				id)).isEqualTo(6);
		ClaimedExecution last = this.store.claim(id, "last", LEASE);
		this.store.complete(last, null);
		assertThat(attempts(id)).as("the past ones and the last").hasSize(PastAttempts.KEPT + 1);
	}

	@Test
	void retentionDeletesThePastAttemptsOfTheExecutionsItDeletes() {
		UUID old = succeededOnTheSecondAttempt();
		UUID recent = succeededOnTheSecondAttempt();
		this.jdbc.update("UPDATE bgt_execution SET finished_at = CURRENT_TIMESTAMP - INTERVAL '8' DAY WHERE id = ?",
				old);
		assertThat(this.store.deleteFinished(TaskStatus.SUCCESSFUL, Duration.ofDays(7), 100)).isOne();
		assertThat(this.store.status(old)).isNull();
		assertThat(pastRows(old)).isZero();
		assertThat(pastRows(recent)).isOne();
		assertThat(attempts(recent)).hasSize(2);
	}

	private UUID succeededOnTheSecondAttempt() {
		ClaimedExecution first = claimed(2);
		this.store.retry(first, ERROR, Duration.ZERO);
		this.store.complete(this.store.claim(first.id(), "n2", LEASE), null);
		return first.id();
	}

	private List<ExecutionAttempt> attempts(UUID id) {
		return this.jdbc.execute((ConnectionCallback<List<ExecutionAttempt>>) (connection) -> AttemptHistory
			.read(connection, id));
	}

	private static ClaimedExecution otherNode(ClaimedExecution claim) {
		return new ClaimedExecution(claim.id(), claim.task(), claim.params(), claim.attempt(), "n9", claim.maxAttempts());
	}

	private int pastRows(UUID id) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_attempt WHERE execution_id = ?", Integer.class, id);
	}

	private static void assertPast(ExecutionAttempt attempt, int number, String node, Outcome outcome,
			ExecutionError error) {
		assertThat(attempt.attempt()).isEqualTo(number);
		assertThat(attempt.node()).isEqualTo(node);
		assertThat(attempt.outcome()).isEqualTo(outcome);
		assertThat(attempt.error()).isEqualTo(error);
		assertThat(attempt.startedAt()).isNotNull();
		assertThat(attempt.finishedAt()).isNotNull().isAfterOrEqualTo(attempt.startedAt());
	}

}
