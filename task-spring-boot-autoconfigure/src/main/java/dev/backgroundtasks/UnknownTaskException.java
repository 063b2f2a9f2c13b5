package dev.backgroundtasks;

/**
 * Thrown when a task name is not registered.
 */
public class UnknownTaskException extends BackgroundTaskException {

	private final String task;

	public UnknownTaskException(String task) {
		super("No task named '" + task + "' is registered");
		this.task = task;
	}

	/**
	 * @return the unknown task name
	 */
	public String getTask() {
		return this.task;
	}

}
