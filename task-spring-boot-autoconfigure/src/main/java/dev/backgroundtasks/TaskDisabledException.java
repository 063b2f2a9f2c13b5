package dev.backgroundtasks;

/**
 * Thrown when a disabled task is submitted, or when a task switched off by configuration is asked to
 * be enabled. Nothing is stored or changed.
 */
public class TaskDisabledException extends BackgroundTaskException {

	private final String task;

	public TaskDisabledException(String task, String message) {
		super(message);
		this.task = task;
	}

	/**
	 * @return the disabled task's name
	 */
	public String getTask() {
		return this.task;
	}

}
