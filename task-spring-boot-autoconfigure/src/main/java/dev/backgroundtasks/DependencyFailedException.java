package dev.backgroundtasks;

/**
 * The error type of an execution cancelled because an execution it was submitted after
 * ({@link TaskSubmission#after}) failed or was cancelled: its {@link ExecutionError#type()} is this class's
 * name, and its message names that execution. Never thrown inside a task: it only names the error of an
 * execution that never ran.
 */
public class DependencyFailedException extends BackgroundTaskException {

	/**
	 * @param message the message, naming the execution that failed or was cancelled
	 */
	public DependencyFailedException(String message) {
		super(message);
	}

}
