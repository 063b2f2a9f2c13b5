package dev.backgroundtasks;

import java.util.UUID;

/**
 * Thrown when no execution has the given id.
 */
public class ExecutionNotFoundException extends BackgroundTaskException {

	private final UUID id;

	public ExecutionNotFoundException(UUID id) {
		super("No execution with id " + id);
		this.id = id;
	}

	/**
	 * @return the id that was not found
	 */
	public UUID getId() {
		return this.id;
	}

}
