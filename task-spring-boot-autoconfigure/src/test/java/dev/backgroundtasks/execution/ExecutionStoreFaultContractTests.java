package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.ConnectionCallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ExecutionStore} does for production faults (issue #17): claims of the tasks a node knows
 * only, executions another version must run, claim tokens that fence every end of an attempt and never
 * repeat, cancel requests that outlive claims and hand-backs, and ends written again after a lost reply.
 */
class ExecutionStoreFaultContractTests extends AbstractExecutionStoreContractTests {

	private static final ExecutionError UNBOUND = new ExecutionError(
			"dev.backgroundtasks.InvalidTaskParametersException", "Unknown parameter 'depth'", "trace");

	@Test
	void aNodeClaimsOnlyExecutionsOfTheTasksItKnows() {
		UUID old = insert("resize");
		UUID added = insert("thumbnail");
		assertThat(this.store.claim("old-version", 10, LEASE, Set.of("resize"))).extracting(ClaimedExecution::id)
			.containsExactly(old);
		assertThat(this.store.claim("old-version", 10, LEASE, Set.of("resize"))).isEmpty();
		assertThat(this.store.status(added)).as("left for a node that knows it").isEqualTo(TaskStatus.READY);
		assertThat(this.store.claim("any", 10, LEASE, Set.of())).isEmpty();
		assertThat(this.store.claim("new-version", 10, LEASE, Set.of("resize", "thumbnail")))
			.extracting(ClaimedExecution::id)
			.containsExactly(added);
	}

	@Test
	void aNodeClaimsOnlyLimitedExecutionsOfTheTasksItKnows() {
		UUID limited = this.store.insert(new NewExecution(ExecutionIds.next(), "nightly", TaskTrigger.CODE, "{}", 1, 0,
				1, null, null, null, null));
		assertThat(this.store.claim("old-version", 10, LEASE, Set.of("resize"))).isEmpty();
		assertThat(this.store.claim("new-version", 10, LEASE, Set.of("nightly"))).extracting(ClaimedExecution::id)
			.containsExactly(limited);
	}

	@Test
	void everyClaimRaisesTheTokenSoAHandedBackAttemptIsFencedOutEvenOnTheSameNodeAndNumber() {
		ClaimedExecution first = claimed(1);
		assertThat(this.store.handBack(first)).isEqualTo(TaskStatus.READY);
		ClaimedExecution second = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(second.attempt()).as("the same attempt number, on the same node").isEqualTo(first.attempt());
		assertThat(second.claimToken()).isGreaterThan(first.claimToken());
		assertThat(this.store.complete(first, "\"stale\"")).as("the stale thread's write").isFalse();
		assertThat(this.store.fail(first, UNBOUND)).isNull();
		assertThat(this.store.complete(second, "\"fresh\"")).isTrue();
		assertThat(row(second.id())).containsEntry("result", "\"fresh\"").containsEntry("attempt", 1);
	}

	@Test
	void aCancelRequestSurvivesAClaimAfterAHandBackOfAQueuedExecution() {
		ClaimedExecution queued = claimed(3);
		this.store.requestCancel(queued.id(), "alice");
		assertThat(this.store.cancelRequested("n1")).containsExactly(queued.id());
		assertThat(this.store.handBackUnstarted(queued)).as("never started, but asked to cancel")
			.isEqualTo(TaskStatus.CANCELLED);
		assertThat(row(queued.id())).containsEntry("cancelled_by", "alice");
	}

	@Test
	void aClaimKeepsACancelRequestMadeBeforeIt() {
		// A request can only be made while an execution runs; one left on a READY row by a node of an older
		// version (whose claim reset it) must still stop the next attempt.
		UUID id = insert();
		this.jdbc.update("UPDATE bgt_execution SET cancel_requested = TRUE WHERE id = ?", id);
		ClaimedExecution claim = this.store.claim("n1", 1, LEASE).get(0);
		assertThat(this.store.cancelRequested("n1")).containsExactly(claim.id());
		assertThat(this.store.retry(claim, UNBOUND, Duration.ZERO)).isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void paramsNoNodeCanBindAreHandedBackWithoutUsingAnAttemptThenFailAfterTheGrace() {
		UUID id = insert(2);
		ClaimedExecution claim = this.store.claim(id, "old-version", LEASE);
		assertThat(this.store.handBackUnbound(claim, UNBOUND, Duration.ZERO, Duration.ofMinutes(10)))
			.isEqualTo(TaskStatus.READY);
		assertThat(row(id)).containsEntry("status", "READY")
			.containsEntry("attempt", 1)
			.containsEntry("node", null)
			.containsEntry("error_type", UNBOUND.type());
		assertThat(row(id).get("unbound_since")).isNotNull();
		List<ExecutionAttempt> attempts = this.jdbc
			.execute((ConnectionCallback<List<ExecutionAttempt>>) (connection) -> AttemptHistory.read(connection, id));
		assertThat(attempts).singleElement().satisfies((attempt) -> {
			assertThat(attempt.outcome()).isEqualTo(ExecutionAttempt.Outcome.HANDED_BACK);
			assertThat(attempt.error()).isNotNull();
		});
		ClaimedExecution again = this.store.claim(id, "another-old-version", LEASE);
		assertThat(again.attempt()).as("no attempt used").isEqualTo(1);
		assertThat(this.store.handBackUnbound(again, UNBOUND, Duration.ZERO, Duration.ofMinutes(10)))
			.as("within the grace").isEqualTo(TaskStatus.READY);
		this.jdbc.update("UPDATE bgt_execution SET unbound_since = CURRENT_TIMESTAMP - INTERVAL '11' MINUTE"
				+ " WHERE id = ?", id);
		ClaimedExecution late = this.store.claim(id, "old-version", LEASE);
		assertThat(this.store.handBackUnbound(late, UNBOUND, Duration.ZERO, Duration.ofMinutes(10)))
			.isEqualTo(TaskStatus.FAILED);
		assertThat(row(id)).containsEntry("status", "FAILED").containsEntry("error_type", UNBOUND.type());
		assertThat((String) row(id).get("error_message")).contains("unbound-params-grace", "Unknown parameter 'depth'");
	}

	@Test
	void anEndWrittenAgainAfterALostReplyReportsWhatTheClaimWroteButNeverAnotherClaimsEnd() {
		ClaimedExecution claim = claimed(3);
		assertThat(this.store.retry(claim, UNBOUND, Duration.ZERO)).isEqualTo(TaskStatus.READY);
		ClaimedExecution next = this.store.claim("n2", 1, LEASE).get(0);
		assertThat(this.store.retry(claim, UNBOUND, Duration.ZERO)).as("claimed since: not this claim's")
			.isNull();
		assertThat(this.store.complete(next, null)).isTrue();
		assertThat(this.store.complete(next, null)).as("again").isTrue();
		assertThat(this.store.completeAll(List.of(new Completion(next, null)))).containsExactly(next.id());
		assertThat(this.store.complete(claim, null)).isFalse();
	}

	@Test
	void aLeaseRecoveryIsNeverTakenForTheClaimsOwnEnd() {
		ClaimedExecution claim = claimed(3);
		expireLease(claim.id());
		assertThat(this.store.recoverExpiredLeases()).hasSize(1);
		assertThat(this.store.retry(claim, UNBOUND, Duration.ZERO)).as("recovered, not written by the claim")
			.isNull();
		assertThat(this.store.fail(claim, UNBOUND)).isNull();
	}

	private UUID insert(String task) {
		return this.store.insert(NewExecution.of(ExecutionIds.next(), task, TaskTrigger.CODE, "{}"));
	}

}
