package dev.backgroundtasks;

import java.util.Map;
import java.util.UUID;

/**
 * A handle on a stored batch; from {@link TaskBatch#submit()} or {@link TaskClient#batch(UUID)}.
 */
public interface BatchHandle {

	/**
	 * @return the batch id; members carry it as {@link Execution#batchId()}
	 */
	UUID id();

	/**
	 * @return how many members the batch has
	 */
	int size();

	/**
	 * Reads the batch's progress now (one query). While the batch is not done: its members per state, with
	 * every state that has members and the three terminal ones always present. Once it is done: the three
	 * terminal states only, as counted when its last member ended (they stay when retention deletes
	 * members).
	 * @return the members per state
	 */
	Map<TaskStatus, Integer> counts();

	/**
	 * Reads whether the batch is done (one query): every member has ended, and the callback, if any, is
	 * stored (it may still be running).
	 * @return whether the batch is done
	 */
	boolean isDone();

}
