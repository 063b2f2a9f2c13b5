package dev.backgroundtasks.execution;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Writes executions and moves them through the state machine. Every state change is one guarded
 * statement: it changes nothing when the row is not in the expected state, or, for the end of an
 * attempt, no longer held by the same node and attempt. Writes join the caller's Spring transaction
 * when there is one.
 */
public interface ExecutionStore {

	/**
	 * Stores a new {@code READY} execution, due now.
	 * @param execution the execution
	 */
	void insert(NewExecution execution);

	/**
	 * Claims up to {@code limit} due {@code READY} executions for a node, highest priority first,
	 * then oldest, skipping rows other nodes are claiming.
	 * @param node the claiming node
	 * @param limit the most rows to claim
	 * @return the claimed executions, now {@code RUNNING}
	 */
	List<ClaimedExecution> claim(String node, int limit);

	/**
	 * Claims one given {@code READY} execution, for a caller that runs it in its own thread.
	 * @param id the execution id
	 * @param node the claiming node
	 * @return the claim, or {@code null} when it is no longer {@code READY}
	 */
	@Nullable ClaimedExecution claim(UUID id, String node);

	/**
	 * Records success, fenced on the claim.
	 * @param claim the claim
	 * @param result the result as JSON text, or {@code null}
	 * @return whether the claim still held and the outcome was written
	 */
	boolean complete(ClaimedExecution claim, @Nullable String result);

	/**
	 * Records failure, fenced on the claim.
	 * @param claim the claim
	 * @param error the error
	 * @return whether the claim still held and the outcome was written
	 */
	boolean fail(ClaimedExecution claim, ExecutionError error);

	/**
	 * Cancels an execution that has not started.
	 * @param id the execution id
	 * @return whether it was {@code READY} and is now {@code CANCELLED}
	 */
	boolean cancel(UUID id);

	/**
	 * Reads the state of an execution.
	 * @param id the execution id
	 * @return its state, or {@code null} when there is no such execution
	 */
	@Nullable TaskStatus status(UUID id);

}
