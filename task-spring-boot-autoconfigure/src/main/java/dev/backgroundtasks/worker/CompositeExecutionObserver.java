package dev.backgroundtasks.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tells several observers, in order, and keeps what one of them throws from the engine.
 */
final class CompositeExecutionObserver implements ExecutionObserver {

	private static final Log logger = LogFactory.getLog(CompositeExecutionObserver.class);

	private final List<ExecutionObserver> observers;

	CompositeExecutionObserver(List<? extends ExecutionObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public void submitted(String task, TaskTrigger trigger) {
		this.observers.forEach((observer) -> guarded(observer, "submitted", () -> {
			observer.submitted(task, trigger);
			return null;
		}));
	}

	@Override
	public void submitted(String task, TaskTrigger trigger, int count) {
		this.observers.forEach((observer) -> guarded(observer, "submitted", () -> {
			observer.submitted(task, trigger, count);
			return null;
		}));
	}

	@Override
	public @Nullable String traceContext() {
		for (ExecutionObserver observer : this.observers) {
			String context = guarded(observer, "traceContext", observer::traceContext);
			if (context != null) {
				return context;
			}
		}
		return null;
	}

	@Override
	public AttemptObservation attemptStarted(ClaimedExecution claim) {
		List<AttemptObservation> started = new ArrayList<>(this.observers.size());
		for (ExecutionObserver observer : this.observers) {
			AttemptObservation observation = guarded(observer, "attemptStarted", () -> observer.attemptStarted(claim));
			started.add((observation != null) ? observation : AttemptObservation.NONE);
		}
		return (outcome, failure) -> {
			// In reverse order, so scopes the observers opened close innermost first.
			for (int i = started.size() - 1; i >= 0; i--) {
				AttemptObservation observation = started.get(i);
				guarded(observation, "ended", () -> {
					observation.ended(outcome, failure);
					return null;
				});
			}
		};
	}

	private static <T> @Nullable T guarded(Object observer, String method, Supplier<@Nullable T> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Background tasks observer " + observer.getClass().getName() + " failed in " + method, ex);
			return null;
		}
	}

}
