package dev.backgroundtasks.support;

import java.util.List;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tells several observers, in order, and keeps what one of them throws from the engine. Called for
 * every attempt: plain loops, no lambda per call.
 */
final class CompositeExecutionObserver implements ExecutionObserver {

	private static final Log logger = LogFactory.getLog(CompositeExecutionObserver.class);

	private final ExecutionObserver[] observers;

	CompositeExecutionObserver(List<? extends ExecutionObserver> observers) {
		this.observers = observers.toArray(ExecutionObserver[]::new);
	}

	@Override
	public void submitted(String task, TaskTrigger trigger) {
		for (ExecutionObserver observer : this.observers) {
			try {
				observer.submitted(task, trigger);
			}
			catch (RuntimeException ex) {
				failed(observer, "submitted", ex);
			}
		}
	}

	@Override
	public void submitted(String task, TaskTrigger trigger, int count) {
		for (ExecutionObserver observer : this.observers) {
			try {
				observer.submitted(task, trigger, count);
			}
			catch (RuntimeException ex) {
				failed(observer, "submitted", ex);
			}
		}
	}

	@Override
	public void recovered(String task, TaskStatus status) {
		for (ExecutionObserver observer : this.observers) {
			try {
				observer.recovered(task, status);
			}
			catch (RuntimeException ex) {
				failed(observer, "recovered", ex);
			}
		}
	}

	@Override
	public @Nullable String traceContext() {
		for (ExecutionObserver observer : this.observers) {
			try {
				String context = observer.traceContext();
				if (context != null) {
					return context;
				}
			}
			catch (RuntimeException ex) {
				failed(observer, "traceContext", ex);
			}
		}
		return null;
	}

	@Override
	public AttemptObservation attemptStarted(ClaimedExecution claim) {
		AttemptObservation[] started = new AttemptObservation[this.observers.length];
		for (int i = 0; i < started.length; i++) {
			AttemptObservation observation = null;
			try {
				observation = this.observers[i].attemptStarted(claim);
			}
			catch (RuntimeException ex) {
				failed(this.observers[i], "attemptStarted", ex);
			}
			started[i] = (observation != null) ? observation : AttemptObservation.NONE;
		}
		return new AttemptObservation() {

			@Override
			public void ended(AttemptOutcome outcome, @Nullable Throwable failure) {
				// In reverse order, so scopes the observers opened close innermost first.
				for (int i = started.length - 1; i >= 0; i--) {
					try {
						started[i].ended(outcome, failure);
					}
					catch (RuntimeException ex) {
						failed(started[i], "ended", ex);
					}
				}
			}

			@Override
			public void leftThread() {
				for (int i = started.length - 1; i >= 0; i--) {
					try {
						started[i].leftThread();
					}
					catch (RuntimeException ex) {
						failed(started[i], "leftThread", ex);
					}
				}
			}

		};
	}

	private static void failed(Object observer, String method, RuntimeException ex) {
		logger.warn("Background tasks observer " + observer.getClass().getName() + " failed in " + method, ex);
	}

}
