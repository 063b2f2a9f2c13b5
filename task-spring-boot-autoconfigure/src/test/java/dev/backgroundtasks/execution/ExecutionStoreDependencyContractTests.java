package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Dependencies in {@link ExecutionStore}: an execution stored after others waits ({@code WAITING}, never
 * claimed) until they all succeeded, and is cancelled, down the chain, when one failed or was cancelled;
 * releases happen once, also when two parents finish at once on two threads, and the sweep releases what a
 * stopped node missed.
 */
class ExecutionStoreDependencyContractTests extends AbstractExecutionStoreContractTests {

	private static final ExecutionError ERROR = new ExecutionError("java.io.IOException", "disk full", "");

	private final List<ReleasedExecution> released = Collections.synchronizedList(new ArrayList<>());

	@BeforeEach
	void listen() {
		this.released.clear();
		this.store.onReleased(this.released::addAll);
	}

	private UUID insertAfter(UUID... parents) {
		return this.store.insert(NewExecution.of(ExecutionIds.next(), "child", TaskTrigger.CODE, "{}")
			.after(List.of(parents)));
	}

	private ClaimedExecution claim(UUID id) {
		ClaimedExecution claim = this.store.claim(id, "n1", LEASE);
		assertThat(claim).as("claim of " + id).isNotNull();
		return claim;
	}

	@Test
	void waitsUntilItsParentSucceededAndIsNeverClaimedBefore() {
		UUID parent = insert();
		UUID child = insertAfter(parent);
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.WAITING);
		assertThat(row(child)).containsEntry("after_ids", parent.toString());
		assertThat(this.store.dependents(parent)).containsExactly(child);
		assertThat(this.store.claim(child, "n1", LEASE)).as("not claimable by id").isNull();
		List<ClaimedExecution> claimed = this.store.claim("n1", 1000, LEASE);
		assertThat(claimed).extracting(ClaimedExecution::id).contains(parent).doesNotContain(child);
		assertThat(this.store.complete(claimed.stream().filter((c) -> c.id().equals(parent)).findFirst().orElseThrow(),
				null)).isTrue();
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.READY);
		assertThat(this.released).containsExactly(new ReleasedExecution(child, "child", TaskStatus.READY));
		assertThat(this.store.claim("n1", 1000, LEASE)).extracting(ClaimedExecution::id).contains(child);
	}

	@Test
	void waitsForEveryParent() {
		UUID first = insert();
		UUID second = insert();
		UUID child = insertAfter(first, second);
		ClaimedExecution firstClaim = claim(first);
		ClaimedExecution secondClaim = claim(second);
		assertThat(this.store.completeAll(List.of(new Completion(firstClaim, null)))).containsExactly(first);
		assertThat(this.store.status(child)).as("one parent left").isEqualTo(TaskStatus.WAITING);
		assertThat(this.store.complete(secondClaim, null)).isTrue();
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.READY);
		assertThat(this.released).hasSize(1);
	}

	@Test
	void isCancelledDownTheChainWhenAParentFails() {
		UUID parent = insert();
		UUID child = insertAfter(parent);
		UUID grandchild = insertAfter(child);
		assertThat(this.store.fail(claim(parent), ERROR)).isEqualTo(TaskStatus.FAILED);
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.status(grandchild)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(row(child)).containsEntry("error_type", DependencyFailedException.class.getName());
		assertThat((String) row(child).get("error_message")).contains(parent.toString()).contains("FAILED");
		assertThat((String) row(grandchild).get("error_message")).contains(child.toString()).contains("CANCELLED");
		assertThat(row(child).get("finished_at")).isNotNull();
		assertThat(this.released).extracting(ReleasedExecution::id).containsExactly(child, grandchild);
	}

	@Test
	void isCancelledWhenAParentIsCancelledOrItselfCancelled() {
		UUID parent = insert();
		UUID child = insertAfter(parent);
		UUID other = insertAfter(insert());
		assertThat(this.store.cancel(parent)).isTrue();
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.CANCELLED);
		assertThat((String) row(child).get("error_message")).contains(parent.toString());
		assertThat(this.store.cancel(other)).as("WAITING → CANCELLED").isTrue();
		assertThat(this.store.status(other)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(row(other)).containsEntry("error_type", null);
	}

	@Test
	void parentsThatFinishedAlreadyDecideAtOnce() {
		ClaimedExecution succeeded = claim(insert());
		this.store.complete(succeeded, null);
		UUID failed = insert();
		this.store.cancel(failed);
		UUID ready = insertAfter(succeeded.id());
		assertThat(this.store.status(ready)).isEqualTo(TaskStatus.READY);
		UUID cancelled = insertAfter(succeeded.id(), failed);
		assertThat(this.store.status(cancelled)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(row(cancelled)).containsEntry("error_type", DependencyFailedException.class.getName());
		assertThat((String) row(cancelled).get("error_message")).contains(failed.toString());
		assertThat(this.released).as("stored in their state, not released").isEmpty();
	}

	@Test
	void unknownParentStoresNothing() {
		UUID parent = insert();
		UUID unknown = UUID.randomUUID();
		UUID id = ExecutionIds.next();
		assertThatExceptionOfType(UnknownDependencyException.class)
			.isThrownBy(() -> this.store.insert(NewExecution.of(id, "child", TaskTrigger.CODE, "{}")
				.after(List.of(parent, unknown))))
			.withMessageContaining(unknown.toString())
			.satisfies((ex) -> assertThat(ex.getIds()).containsExactly(unknown));
		assertThat(this.store.status(id)).isNull();
		assertThat(this.store.dependents(parent)).isEmpty();
	}

	@Test
	void twoParentsFinishingAtOnceReleaseTheChildExactlyOnce() throws Exception {
		for (int round = 0; round < 20; round++) {
			this.released.clear();
			UUID first = insert();
			UUID second = insert();
			UUID child = insertAfter(first, second);
			ClaimedExecution firstClaim = claim(first);
			ClaimedExecution secondClaim = claim(second);
			CyclicBarrier start = new CyclicBarrier(2);
			CompletableFuture<Boolean> one = CompletableFuture.supplyAsync(() -> {
				await(start);
				return this.store.complete(firstClaim, null);
			});
			CompletableFuture<Boolean> two = CompletableFuture.supplyAsync(() -> {
				await(start);
				return !this.store.completeAll(List.of(new Completion(secondClaim, null))).isEmpty();
			});
			assertThat(one.get()).isTrue();
			assertThat(two.get()).isTrue();
			assertThat(this.store.status(child)).as("round " + round).isEqualTo(TaskStatus.READY);
			assertThat(this.released).as("round " + round)
				.containsExactly(new ReleasedExecution(child, "child", TaskStatus.READY));
		}
	}

	@Test
	void aParentEndingWhileItsChildIsInsertedStillReleasesIt() {
		UUID parent = insert();
		ClaimedExecution claim = claim(parent);
		UUID child = this.transactions.execute((status) -> {
			UUID inserted = insertAfter(parent);
			// The parent ends on another connection before the child's insert commits: its release cannot
			// see the child yet.
			assertThat(CompletableFuture.supplyAsync(() -> this.store.complete(claim, null)).join()).isTrue();
			assertThat(this.store.status(inserted)).isEqualTo(TaskStatus.WAITING);
			return inserted;
		});
		assertThat(this.store.status(child)).as("checked again once its insert committed").isEqualTo(TaskStatus.READY);
		assertThat(this.released).containsExactly(new ReleasedExecution(child, "child", TaskStatus.READY));
	}

	@Test
	void sweepReleasesWhatAStoppedNodeMissed() {
		UUID parent = insert();
		UUID child = insertAfter(parent);
		UUID failedParent = insert();
		UUID orphan = insertAfter(failedParent);
		// The parents end without their writers' releases, as when a node stops right after the commit.
		this.jdbc.update("UPDATE bgt_execution SET status = 'SUCCESSFUL', finished_at = CURRENT_TIMESTAMP WHERE id = ?",
				parent);
		this.jdbc.update("UPDATE bgt_execution SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP WHERE id = ?",
				failedParent);
		UUID stillWaiting = insertAfter(insert());
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.WAITING);
		this.store.recoverExpiredLeases();
		assertThat(this.store.status(child)).isEqualTo(TaskStatus.READY);
		assertThat(this.store.status(orphan)).isEqualTo(TaskStatus.CANCELLED);
		assertThat(this.store.status(stillWaiting)).isEqualTo(TaskStatus.WAITING);
		assertThat(this.released).extracting(ReleasedExecution::id).contains(child, orphan);
	}

	@Test
	void retentionDeletesTheDependenciesOfDeletedExecutions() {
		UUID parent = insert();
		UUID child = insertAfter(parent);
		this.store.cancel(parent);
		this.jdbc.update("UPDATE bgt_execution SET finished_at = CURRENT_TIMESTAMP - INTERVAL '1' DAY WHERE id = ?",
				child);
		assertThat(this.store.deleteFinished(TaskStatus.CANCELLED, java.time.Duration.ofHours(1), 10)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution_dependency WHERE execution_id = ?",
				Long.class, child)).isZero();
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
