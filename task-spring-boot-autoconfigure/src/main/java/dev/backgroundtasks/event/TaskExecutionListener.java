package dev.backgroundtasks.event;

import dev.backgroundtasks.Execution;

/**
 * Callbacks on the life of executions: declare beans of this type. Each callback runs once, on the node
 * that made the change, after the change was committed, in the order changes happened on that node, on
 * one event thread (not the task's). The execution passed is read after the change and may already
 * show later ones. A callback that throws is logged and changes nothing else.
 * <p>
 * Callbacks must keep up with the node: at most {@code background-tasks.events.queue-capacity} events
 * (10,000 by default) wait for the event thread, and a change whose event finds no room gets no callback
 * (it is counted in {@code background.tasks.events.dropped} and logged; see
 * {@link ExecutionEventPublisher}). A listener with slow work to do should hand it to an executor of its
 * own.
 * <p>
 * For one execution: {@link #onStart} at the start of each attempt; then exactly one outcome:
 * {@link #onSuccess} and {@link #onComplete} when it succeeded, {@link #onFailure} and
 * {@link #onComplete} when it failed for good (a failure that is retried is no outcome), or only
 * {@link #onComplete} when it was cancelled.
 */
public interface TaskExecutionListener {

	/**
	 * An attempt started.
	 * @param execution the execution, {@code RUNNING}
	 */
	default void onStart(Execution execution) {
	}

	/**
	 * The execution succeeded.
	 * @param execution the execution, {@code SUCCESSFUL}, with its result
	 */
	default void onSuccess(Execution execution) {
	}

	/**
	 * The execution failed and will not be retried.
	 * @param execution the execution, {@code FAILED}, with its error
	 */
	default void onFailure(Execution execution) {
	}

	/**
	 * The execution finished: succeeded, failed for good or was cancelled.
	 * @param execution the execution, in its final state
	 */
	default void onComplete(Execution execution) {
	}

}
