package dev.backgroundtasks.support;

import java.util.List;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import org.jspecify.annotations.Nullable;

/**
 * What the engine tells observers (metrics, observations, tracing) as executions are submitted and
 * attempted. Every method has a no-op default, so the engine depends on no observability library;
 * integrations implement what they need. Called on the engine's hot paths: implementations must be
 * quick and must not throw.
 */
public interface ExecutionObserver {

	/**
	 * An observer that does nothing.
	 */
	ExecutionObserver NONE = new ExecutionObserver() {
	};

	/**
	 * Called when a new execution has been stored (not when a key found an active one).
	 * @param task the task name
	 * @param trigger what submitted it
	 */
	default void submitted(String task, TaskTrigger trigger) {
	}

	/**
	 * Called when new executions have been stored together ({@code TaskClient.submitAll}); by default
	 * calls {@link #submitted(String, TaskTrigger)} once per execution.
	 * @param task the task name
	 * @param trigger what submitted them
	 * @param count how many were stored
	 */
	default void submitted(String task, TaskTrigger trigger, int count) {
		for (int i = 0; i < count; i++) {
			submitted(task, trigger);
		}
	}

	/**
	 * Called when this node ended an attempt whose node stopped heartbeating (its lease expired): the
	 * execution is {@code READY} to run again, or {@code FAILED} with no attempts left, or
	 * {@code CANCELLED} when cancelling it was asked.
	 * @param task the task name
	 * @param status what the execution became
	 */
	default void recovered(String task, TaskStatus status) {
	}

	/**
	 * Called in the submitting thread before a new execution is stored.
	 * @return the current trace context as text to store with the execution, or {@code null}
	 */
	default @Nullable String traceContext() {
		return null;
	}

	/**
	 * Called in the worker thread right before an attempt invokes its task; the returned attempt
	 * observation is ended in the same thread after the outcome is recorded, or, for a success recorded
	 * in a batch, left by that thread ({@link AttemptObservation#leftThread()}) when the task returned and
	 * ended in the thread that writes the batch.
	 * @param claim the claim, with its times and stored trace context
	 * @return the observation of this attempt
	 */
	default AttemptObservation attemptStarted(ClaimedExecution claim) {
		return AttemptObservation.NONE;
	}

	/**
	 * @param observers the observers, in order
	 * @return one observer that tells each of them, in order, and that logs and swallows what they throw,
	 * so that an observer can never fail a submission or the recording of an outcome; {@link #NONE} for
	 * none
	 */
	static ExecutionObserver composite(List<? extends ExecutionObserver> observers) {
		return observers.isEmpty() ? NONE : new CompositeExecutionObserver(observers);
	}

	/**
	 * One attempt being observed.
	 */
	@FunctionalInterface
	interface AttemptObservation {

		/**
		 * An attempt observation that does nothing.
		 */
		AttemptObservation NONE = (outcome, failure) -> {
		};

		/**
		 * Called once the attempt's outcome is recorded (or could not be): in the attempt's thread, unless
		 * {@link #leftThread()} was called before.
		 * @param outcome how the attempt ended, as written
		 * @param failure what the task threw, or {@code null}
		 */
		void ended(AttemptOutcome outcome, @Nullable Throwable failure);

		/**
		 * Called in the attempt's thread when its task returned and the outcome is written by another
		 * thread, which calls {@link #ended} once it is: close what is bound to this thread (a scope).
		 */
		default void leftThread() {
		}

	}

}
