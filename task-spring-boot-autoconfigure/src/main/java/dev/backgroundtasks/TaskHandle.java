package dev.backgroundtasks;

import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A handle on one stored execution. Every method reads the store, so the handle stays valid across
 * nodes and restarts.
 */
public interface TaskHandle {

	/**
	 * @return the execution id
	 */
	UUID id();

	/**
	 * @return the task name
	 */
	String task();

	/**
	 * @return the current state
	 */
	TaskStatus status();

	/**
	 * @return the current snapshot of the execution
	 */
	Execution execution();

	/**
	 * Waits until the execution is finished and returns its result, converted to the task method's
	 * declared return type when the task is registered on this node (otherwise plain JSON values).
	 * @param timeout how long to wait at most
	 * @return the result, or {@code null} for a {@code void} task
	 * @throws ExecutionFailedException when it ended {@code FAILED}; carries the stored error
	 * @throws ExecutionCancelledException when it ended {@code CANCELLED}
	 * @throws AwaitTimeoutException when it is still not finished after the timeout
	 */
	@Nullable Object await(Duration timeout);

	/**
	 * Waits until the execution is finished and returns its result converted to the given type.
	 * @param <T> the result type
	 * @param timeout how long to wait at most
	 * @param type the type to convert the stored JSON result to
	 * @return the result, or {@code null}
	 * @see #await(Duration)
	 */
	<T> @Nullable T await(Duration timeout, Class<T> type);

	/**
	 * Cancels the execution: a {@code READY} one at once; a {@code RUNNING} one is flagged, and the node
	 * running it interrupts it within about a second, ending it {@code CANCELLED}.
	 * @throws ExecutionConflictException when it has already finished
	 */
	void cancel();

	/**
	 * Submits a new execution like this {@code FAILED} or {@code CANCELLED} one.
	 * @return a handle on the new execution
	 * @throws ExecutionConflictException when this one is not {@code FAILED} or {@code CANCELLED}
	 */
	TaskHandle retry();

}
