package dev.backgroundtasks;

import java.time.Duration;

/**
 * Recorded as the error of an attempt that ran longer than its task's timeout and was interrupted.
 */
public class TaskTimeoutException extends BackgroundTaskException {

	public TaskTimeoutException(String task, int attempt, Duration timeout) {
		super("Attempt " + attempt + " of task '" + task + "' timed out after " + timeout);
	}

}
