package dev.backgroundtasks;

/**
 * Base class of the exceptions this library throws to callers.
 */
public abstract class BackgroundTaskException extends RuntimeException {

	protected BackgroundTaskException(String message) {
		super(message);
	}

	protected BackgroundTaskException(String message, Throwable cause) {
		super(message, cause);
	}

}
