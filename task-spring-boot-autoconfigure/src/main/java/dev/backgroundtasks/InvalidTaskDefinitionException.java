package dev.backgroundtasks;

/**
 * Thrown at registration, usually at start-up, when a task cannot be registered: an invalid or
 * duplicate name, or a method that cannot be invoked. The message names the method(s) involved.
 */
public class InvalidTaskDefinitionException extends BackgroundTaskException {

	public InvalidTaskDefinitionException(String message) {
		super(message);
	}

}
