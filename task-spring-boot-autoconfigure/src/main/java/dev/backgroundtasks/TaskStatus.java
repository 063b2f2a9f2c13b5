package dev.backgroundtasks;

/**
 * The states of an execution: {@code READY → RUNNING → SUCCESSFUL | FAILED | CANCELLED},
 * {@code RUNNING → READY} and {@code READY → CANCELLED}; an execution submitted after others
 * ({@link TaskSubmission#after}) starts {@code WAITING}: {@code WAITING → READY | CANCELLED}.
 */
public enum TaskStatus {

	/**
	 * Waiting for the executions it was submitted after: {@code READY} once all of them are
	 * {@code SUCCESSFUL}, {@code CANCELLED} (with a {@link DependencyFailedException} error) once one of
	 * them failed or was cancelled. Never claimed while waiting.
	 */
	WAITING,

	/** Waiting to be claimed by a worker. */
	READY,

	/** Claimed by a worker node and running. */
	RUNNING,

	/** Finished and returned a result. */
	SUCCESSFUL,

	/** Finished with an error. */
	FAILED,

	/** Cancelled before it finished. */
	CANCELLED;

	/**
	 * Whether this state is final: no transition leaves it.
	 * @return {@code true} for {@code SUCCESSFUL}, {@code FAILED} and {@code CANCELLED}
	 */
	public boolean isTerminal() {
		return this == SUCCESSFUL || this == FAILED || this == CANCELLED;
	}

}
