package dev.backgroundtasks.actuate;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes every attempt with the Micrometer Observation API: started in the worker thread and in
 * scope while the task runs, so the task's own observations (JDBC, HTTP clients) are its children;
 * stopped once the outcome is recorded. With a tracer, the attempt's span continues the trace the
 * execution was submitted in.
 */
public class ObservationExecutionObserver implements ExecutionObserver {

	private static final ExecutionObservationConvention DEFAULT_CONVENTION = new DefaultExecutionObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable ExecutionObservationConvention convention;

	/**
	 * @param registry the observation registry
	 * @param convention a convention that replaces the default one, or {@code null}
	 */
	public ObservationExecutionObserver(ObservationRegistry registry,
			@Nullable ExecutionObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public AttemptObservation attemptStarted(ClaimedExecution claim) {
		ExecutionObservationContext context = new ExecutionObservationContext(claim);
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		Observation.Scope scope = observation.openScope();
		return new AttemptObservation() {

			private boolean scopeClosed;

			@Override
			public void ended(AttemptOutcome outcome, @Nullable Throwable failure) {
				context.setOutcome(outcome);
				if (failure != null && outcome != AttemptOutcome.SUCCESS && outcome != AttemptOutcome.CANCELLED
						&& outcome != AttemptOutcome.HANDED_BACK && outcome != AttemptOutcome.SNOOZED) {
					observation.error(failure);
				}
				leftThread();
				observation.stop();
			}

			@Override
			public void leftThread() {
				if (!this.scopeClosed) {
					this.scopeClosed = true;
					scope.close();
				}
			}

		};
	}

}
