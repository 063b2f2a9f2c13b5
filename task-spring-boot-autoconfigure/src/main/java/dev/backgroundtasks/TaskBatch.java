package dev.backgroundtasks;

import java.util.Map;

/**
 * Builds a batch: executions stored together, and optionally a callback task that runs once when every
 * one of them has ended. From {@link TaskClient#batch()}; nothing is stored until {@link #submit()}.
 */
public interface TaskBatch {

	/**
	 * Adds a member: an execution of a task, due now.
	 * @param task the task name
	 * @param params the params by name; values are converted to JSON with the application's mapper
	 * @return this batch
	 */
	TaskBatch add(String task, Map<String, ?> params);

	/**
	 * Sets the callback: an execution of {@code task} stored exactly once across the cluster, when every
	 * member is {@code SUCCESSFUL}, {@code FAILED} or {@code CANCELLED}. Its params are these plus
	 * {@code batchId} (the batch id as a string) and {@code counts} (an object
	 * {@code {"SUCCESSFUL": n, "FAILED": n, "CANCELLED": n}}, all three keys present), each added when its
	 * task declares a parameter of that name (for example {@code String batchId, Map<String, Integer> counts})
	 * or takes any params (a {@link TaskFunction}). The callback is no member of the batch. Calling this
	 * again replaces the callback.
	 * @param task the task name
	 * @param params its own params; {@code batchId} and {@code counts} are set by the batch, not here
	 * @return this batch
	 */
	TaskBatch onComplete(String task, Map<String, ?> params);

	/**
	 * Validates every member and the callback, then stores the batch and all its members in one transaction
	 * (inside a Spring transaction, in that one) and wakes workers once. All or nothing: when one member is
	 * invalid, nothing is stored.
	 * @return a handle on the stored batch
	 * @throws InvalidBatchException naming the first invalid member by index, or the callback, and its problem
	 * (unknown task, task disabled, invalid params); or when the batch is empty or larger than
	 * {@code background-tasks.queue.max-batch-size}
	 * @throws QueueFullException when the queue is at capacity
	 */
	BatchHandle submit();

}
