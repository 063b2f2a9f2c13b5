package dev.backgroundtasks.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of an attempt; declare a bean to replace
 * {@link DefaultExecutionObservationConvention}.
 */
public interface ExecutionObservationConvention extends ObservationConvention<ExecutionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ExecutionObservationContext;
	}

}
