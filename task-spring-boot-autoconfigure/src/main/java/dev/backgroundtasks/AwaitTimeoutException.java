package dev.backgroundtasks;

import java.time.Duration;

/**
 * Thrown by {@link TaskHandle#await} when the execution has not finished within the timeout. The
 * execution itself is not affected and may still finish later.
 */
public class AwaitTimeoutException extends BackgroundTaskException {

	private final Execution execution;

	public AwaitTimeoutException(Execution execution, Duration timeout) {
		super("Execution " + execution.id() + " of task '" + execution.task() + "' is still " + execution.status()
				+ " after " + timeout);
		this.execution = execution;
	}

	/**
	 * @return the execution as it was when the wait ended
	 */
	public Execution getExecution() {
		return this.execution;
	}

}
