package dev.backgroundtasks;

import java.util.UUID;

/**
 * Thrown when an execution is asked to do something its current state does not allow, such as
 * cancelling an execution that has already finished. Nothing is changed.
 */
public class ExecutionConflictException extends BackgroundTaskException {

	private final UUID id;

	private final TaskStatus status;

	public ExecutionConflictException(UUID id, TaskStatus status, String message) {
		super(message);
		this.id = id;
		this.status = status;
	}

	/**
	 * @return the execution id
	 */
	public UUID getId() {
		return this.id;
	}

	/**
	 * @return the state the execution was in
	 */
	public TaskStatus getStatus() {
		return this.status;
	}

}
