package dev.backgroundtasks;

import java.util.Objects;

/**
 * Thrown by {@link TaskHandle#await} when the execution ended {@code FAILED}. Carries the stored
 * error: its type, message and stack trace as the failing node recorded them.
 */
public class ExecutionFailedException extends BackgroundTaskException {

	private final Execution execution;

	public ExecutionFailedException(Execution execution) {
		super("Execution " + execution.id() + " of task '" + execution.task() + "' failed: " + describe(execution));
		this.execution = execution;
	}

	private static String describe(Execution execution) {
		ExecutionError error = execution.error();
		return (error != null) ? error.type() + ": " + Objects.toString(error.message(), "") : "no error recorded";
	}

	/**
	 * @return the failed execution
	 */
	public Execution getExecution() {
		return this.execution;
	}

	/**
	 * @return the stored error
	 */
	public ExecutionError getError() {
		return Objects.requireNonNull(this.execution.error(), "error");
	}

}
