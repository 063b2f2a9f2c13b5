package dev.backgroundtasks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Submits tasks and finds their executions. Inject it where work is enqueued from code.
 */
public interface TaskClient {

	/**
	 * Submits an execution of a task. The params are checked against the task's declared parameters
	 * before anything is stored; inside a Spring transaction the execution is stored in that
	 * transaction and becomes visible to workers when it commits.
	 * @param task the task name
	 * @param params the params by name; values are converted to JSON with the application's mapper
	 * @return a handle on the stored execution
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException when a param is missing, unknown or of the wrong type
	 * @throws TaskDisabledException when the task is disabled at runtime or switched off by configuration
	 */
	TaskHandle submit(String task, Map<String, ?> params);

	/**
	 * Submits an execution of a task that needs no params.
	 * @param task the task name
	 * @return a handle on the stored execution
	 * @see #submit(String, Map)
	 */
	default TaskHandle submit(String task) {
		return submit(task, Map.of());
	}

	/**
	 * Submits many executions of one task at once: all params are checked first, then every execution
	 * is stored in one transaction (the caller's, if there is one) with batched statements, and workers
	 * are woken once. All or nothing: when one params map is invalid, none is stored.
	 * @param task the task name
	 * @param params one params map per execution
	 * @return handles on the stored executions, in order
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException naming the first invalid params, by index
	 * @throws QueueFullException when the queue is at capacity
	 */
	List<TaskHandle> submitAll(String task, List<? extends Map<String, ?>> params);

	/**
	 * Starts a submission with options: when it runs, its priority, a deduplication key.
	 * @param task the task name
	 * @return a builder; nothing is stored until {@link TaskSubmission#submit()}
	 */
	TaskSubmission task(String task);

	/**
	 * Starts a batch: executions stored together in one transaction, and a callback task that runs exactly
	 * once when every one of them has ended, with the batch's id and counts.
	 * @return a builder; nothing is stored until {@link TaskBatch#submit()}
	 */
	TaskBatch batch();

	/**
	 * Returns a handle on a stored batch.
	 * @param id the batch id
	 * @return the handle, or empty when there is no such batch
	 */
	Optional<BatchHandle> batch(UUID id);

	/**
	 * Submits a new execution with the same task, params, priority and key as a {@code FAILED} or
	 * {@code CANCELLED} one; its trigger is {@code RETRY}.
	 * @param id the execution to retry
	 * @return a handle on the new execution
	 * @throws ExecutionNotFoundException when there is no such execution
	 * @throws ExecutionConflictException when it is not {@code FAILED} or {@code CANCELLED}
	 */
	TaskHandle retry(UUID id);

	/**
	 * Returns a handle on an existing execution.
	 * @param id the execution id
	 * @return the handle
	 * @throws ExecutionNotFoundException when there is no such execution
	 */
	TaskHandle handle(UUID id);

	/**
	 * Reads an execution.
	 * @param id the execution id
	 * @return its current snapshot, or empty when there is no such execution
	 */
	Optional<Execution> execution(UUID id);

}
