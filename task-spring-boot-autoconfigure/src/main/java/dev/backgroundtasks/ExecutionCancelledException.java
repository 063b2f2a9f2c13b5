package dev.backgroundtasks;

/**
 * Thrown by {@link TaskHandle#await} when the execution ended {@code CANCELLED}.
 */
public class ExecutionCancelledException extends BackgroundTaskException {

	private final Execution execution;

	public ExecutionCancelledException(Execution execution) {
		super("Execution " + execution.id() + " of task '" + execution.task() + "' was cancelled");
		this.execution = execution;
	}

	/**
	 * @return the cancelled execution
	 */
	public Execution getExecution() {
		return this.execution;
	}

}
