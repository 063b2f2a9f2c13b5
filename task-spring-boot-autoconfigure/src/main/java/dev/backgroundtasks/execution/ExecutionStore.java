package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Writes executions and moves them through the state machine. Every state change is one guarded
 * statement: it changes nothing when the row is not in the expected state, or, for the end of an
 * attempt, no longer held by the same claim (the fence: node and claim token). Times are database time.
 * Writes join the caller's Spring transaction when there is one.
 * <p>
 * Writing the end of an attempt again is safe: a write that finds the outcome this claim already wrote
 * (its commit succeeded, but the reply was lost with the connection) reports it as written, so the caller
 * that tries again after an error still learns the outcome.
 */
public interface ExecutionStore {

	/**
	 * Stores a new {@code READY} execution. One that waits for others ({@link NewExecution#after()}) is
	 * stored {@code WAITING} with its dependencies in the same transaction, or {@code READY} when they all
	 * succeeded already, or {@code CANCELLED} when one failed or was cancelled already; it is released once
	 * they are terminal (see {@link #onReleased}).
	 * @param execution the execution
	 * @return the id of the stored execution: the new one, or the active execution of the same task
	 * that already holds the key
	 * @throws UnknownDependencyException when an execution it waits for does not exist
	 */
	UUID insert(NewExecution execution);

	/**
	 * Stores the {@code READY} execution of one fire time of a schedule, unless one for the same task,
	 * schedule and fire time exists: each fire time is stored once across the cluster, and a lost race
	 * aborts nothing.
	 * @param execution the execution, with its schedule id and fire time (see
	 * {@link NewExecution#scheduled})
	 * @return whether this call stored it ({@code false}: another node stored it first)
	 */
	boolean insertScheduled(NewExecution execution);

	/**
	 * Stores a new execution already claimed by a node ({@code RUNNING}, attempt 1, with a lease): a
	 * submission on a node with an idle worker thread starts there without a claim round trip.
	 * @param execution the execution, due now, without key or concurrency limit
	 * @param node the node that runs it
	 * @param lease how long the claim holds without a heartbeat
	 * @return the claim
	 */
	ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease);

	/**
	 * Stores many new {@code READY} executions with batched statements, in the caller's transaction or
	 * one of its own; none may carry a key.
	 * @param executions the executions
	 */
	void insertAll(List<NewExecution> executions);

	/**
	 * Stores a batch and its {@code READY} members in one transaction (the caller's, if there is one): all
	 * or nothing. When the last member ends, the store marks the batch done and stores its callback, exactly
	 * once across the cluster.
	 * @param batch the batch
	 * @param members at least one execution, each due now without key or schedule, carrying the batch's id
	 */
	void insertBatch(NewBatch batch, List<NewExecution> members);

	/**
	 * Reads a batch.
	 * @param id the batch id
	 * @return the batch with its counts, or {@code null} when there is no such batch
	 */
	@Nullable BatchState batch(UUID id);

	/**
	 * Claims up to {@code limit} due {@code READY} executions for a node, highest priority first, then
	 * oldest, skipping rows other nodes are claiming, and respecting each task's cluster-wide
	 * concurrency limit.
	 * @param node the claiming node
	 * @param limit the most rows to claim
	 * @param lease how long each claim holds without a heartbeat
	 * @return the claimed executions, now {@code RUNNING}
	 */
	default List<ClaimedExecution> claim(String node, int limit, Duration lease) {
		return claim(node, limit, lease, null);
	}

	/**
	 * Claims as {@link #claim(String, int, Duration)} does, only executions of the given tasks: a node claims
	 * only what it can run, so an execution of a task it does not know (a newer version's, during a rolling
	 * deploy) stays {@code READY} for a node that knows it.
	 * @param node the claiming node
	 * @param limit the most rows to claim
	 * @param lease how long each claim holds without a heartbeat
	 * @param tasks the tasks whose executions may be claimed, or {@code null} for any
	 * @return the claimed executions, now {@code RUNNING}
	 */
	List<ClaimedExecution> claim(String node, int limit, Duration lease, @Nullable Collection<String> tasks);

	/**
	 * Claims one given {@code READY} execution, for a caller that runs it in its own thread.
	 * @param id the execution id
	 * @param node the claiming node
	 * @param lease how long the claim holds without a heartbeat
	 * @return the claim, or {@code null} when it is no longer {@code READY}, or when its task's (or partition's)
	 * concurrency or rate limit does not let it start now
	 */
	@Nullable ClaimedExecution claim(UUID id, String node, Duration lease);

	/**
	 * @return how long after the latest claim a rate limit lets more of the executions it held back start
	 * (when the oldest start in a full window leaves it, in database time), or {@code null} when no rate limit
	 * held any back: the worker sleeps that long at most instead of polling
	 */
	default @Nullable Duration untilRateAllows() {
		return null;
	}

	/**
	 * Records success ({@code RUNNING → SUCCESSFUL}), fenced on the claim.
	 * @param claim the claim
	 * @param result the result as JSON text, or {@code null}
	 * @return whether the claim still held and the outcome was written
	 */
	boolean complete(ClaimedExecution claim, @Nullable String result);

	/**
	 * Records many successes at once, each fenced on its claim.
	 * @param completions the claims and their results as JSON text
	 * @return the ids whose claim still held and whose outcome was written
	 */
	Set<UUID> completeAll(List<Completion> completions);

	/**
	 * Records the final failure ({@code RUNNING → FAILED}), fenced on the claim. An execution whose
	 * cancelling was asked meanwhile ends {@code CANCELLED} instead, with the error.
	 * @param claim the claim
	 * @param error the error
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus fail(ClaimedExecution claim, ExecutionError error);

	/**
	 * Schedules the next attempt after a failure ({@code RUNNING → READY}), keeping the error, fenced on
	 * the claim, and records the failed attempt as a past attempt (see
	 * {@link ExecutionQueries#attempts}) in the same transaction. An execution whose cancelling was asked
	 * meanwhile ends {@code CANCELLED} instead ({@code RUNNING → CANCELLED}, error kept): the request is
	 * never lost with the failed attempt.
	 * @param claim the claim
	 * @param error the error of this attempt
	 * @param delay how long after now the next attempt is due
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay);

	/**
	 * Snoozes an execution whose task asked to run again later ({@code RUNNING → READY}, due after
	 * {@code delay}), without counting its attempt: the next claim runs under the same attempt number.
	 * Counts the snooze, records the attempt as a past attempt ({@code SNOOZED}) in the same transaction,
	 * and is fenced on the claim. An execution whose cancelling was asked meanwhile ends {@code CANCELLED}
	 * instead.
	 * @param claim the claim
	 * @param delay how long after now the execution is due again
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus snooze(ClaimedExecution claim, Duration delay);

	/**
	 * Gives back an execution whose task this node does not know or whose params it cannot bind (a node of
	 * another version submitted it), without counting its attempt ({@code RUNNING → READY}, due after
	 * {@code delay}, for another node), fenced; the first such hand-back starts a grace, and one after the
	 * grace ends it {@code FAILED} with the error instead. The hand-back is recorded as a past attempt with
	 * the error. An execution whose cancelling was asked meanwhile ends {@code CANCELLED}.
	 * @param claim the claim
	 * @param error why it could not run here
	 * @param delay how long after now it is due again
	 * @param grace how long after the first such hand-back it fails instead
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus handBackUnbound(ClaimedExecution claim, ExecutionError error, Duration delay, Duration grace);

	/**
	 * Records that a running execution stopped on request ({@code RUNNING → CANCELLED}), fenced. The error
	 * an earlier attempt left is cleared: this one ended without one.
	 * @param claim the claim
	 * @return whether the claim still held and the outcome was written
	 */
	boolean cancelled(ClaimedExecution claim);

	/**
	 * Gives an execution back without counting its attempt ({@code RUNNING → READY}), fenced; used when a
	 * node shuts down before the attempt finished. The attempt is recorded as a past attempt in the same
	 * transaction. An execution whose cancelling was asked meanwhile ends
	 * {@code CANCELLED} instead ({@code RUNNING → CANCELLED}): the request is never lost with the node.
	 * @param claim the claim
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus handBack(ClaimedExecution claim);

	/**
	 * Gives back an execution claimed ahead whose attempt never started, as {@link #handBack} does, but
	 * keeps no past attempt: it never ran.
	 * @param claim the claim
	 * @return the state it went to, or {@code null} when the claim no longer held
	 */
	@Nullable TaskStatus handBackUnstarted(ClaimedExecution claim);

	/**
	 * Cancels an execution that has not started ({@code READY → CANCELLED} or {@code WAITING → CANCELLED}).
	 * @param id the execution id
	 * @param by the principal who cancels, recorded as {@code cancelled_by}, or {@code null}
	 * @return whether it was {@code READY} or {@code WAITING} and is now {@code CANCELLED}
	 */
	boolean cancel(UUID id, @Nullable String by);

	/**
	 * Cancels an execution that has not started, by nobody in particular.
	 * @param id the execution id
	 * @return whether it was {@code READY} and is now {@code CANCELLED}
	 */
	default boolean cancel(UUID id) {
		return cancel(id, null);
	}

	/**
	 * Asks the node running an execution to stop it; not a state change.
	 * @param id the execution id
	 * @param by the principal who asks, recorded as {@code cancelled_by}, or {@code null}
	 * @return whether it is {@code RUNNING} and now flagged
	 */
	boolean requestCancel(UUID id, @Nullable String by);

	/**
	 * Asks the node running an execution to stop it, for nobody in particular.
	 * @param id the execution id
	 * @return whether it is {@code RUNNING} and now flagged
	 */
	default boolean requestCancel(UUID id) {
		return requestCancel(id, null);
	}

	/**
	 * Extends the leases of executions the node still holds (its heartbeat). Only the given ids are
	 * extended: an execution whose outcome could not be written is left to expire and run again, instead
	 * of staying {@code RUNNING} for as long as its node lives. Rows locked by another statement (an
	 * outcome being written) are skipped, never waited for, so a heartbeat cannot deadlock with a batch.
	 * @param node the node
	 * @param ids the executions the node holds
	 * @param lease the new lease, from now
	 * @return the executions whose leases were extended
	 */
	Set<UUID> extendLeases(String node, Collection<UUID> ids, Duration lease);

	/**
	 * @param node the node
	 * @return the running executions of the node that were asked to stop
	 */
	Set<UUID> cancelRequested(String node);

	/**
	 * Recovers executions whose node stopped heartbeating: back to {@code READY} when attempts are left
	 * (the lost attempt counts, and is recorded as a past attempt in the same transaction), {@code FAILED}
	 * when not, {@code CANCELLED} when cancelling was asked. Also releases {@code WAITING} executions
	 * whose release was missed (a node stopped between an execution's end and the release of those waiting
	 * for it); those are reported to {@link #onReleased}. Also ends batches whose members have all ended
	 * without the batch being marked done (a node died in between), storing their callbacks.
	 * @return the executions recovered, each with the state it went to
	 */
	List<RecoveredExecution> recoverExpiredLeases();

	/**
	 * @param id an execution
	 * @return the executions submitted after it ({@link NewExecution#after()}), whatever their state
	 */
	List<UUID> dependents(UUID id);

	/**
	 * Sets who hears of the {@code WAITING} executions this store moves ({@code WAITING → READY} or
	 * {@code WAITING → CANCELLED}), once each move commits. Every write that ends an execution releases those
	 * waiting for it, after its commit.
	 * @param listener the listener, called with the executions of one release
	 */
	void onReleased(Consumer<List<ReleasedExecution>> listener);

	/**
	 * Deletes up to {@code limit} executions that finished in a state longer ago than {@code age}, with
	 * their past attempts, keeping the latest execution of each schedule (the scheduler reads it after
	 * downtime).
	 * @param status a terminal state
	 * @param age how long ago they must have finished
	 * @param limit the most rows to delete
	 * @return how many were deleted
	 */
	int deleteFinished(TaskStatus status, Duration age, int limit);

	/**
	 * Reads the state of an execution.
	 * @param id the execution id
	 * @return its state, or {@code null} when there is no such execution
	 */
	@Nullable TaskStatus status(UUID id);

	/**
	 * @return how many executions are {@code READY}, due or not
	 */
	long countReady();

}
