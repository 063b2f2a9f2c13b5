package dev.backgroundtasks.actuate;

import java.util.Locale;

import dev.backgroundtasks.support.AttemptOutcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The observation {@code background.tasks.attempt}, one per attempt, with the low-cardinality keys
 * {@code task} and, once it ended, {@code outcome} (success, failure, timeout, cancelled, retry,
 * handed_back, lost); the execution id and attempt number are high-cardinality keys, for spans only.
 */
public class DefaultExecutionObservationConvention implements ExecutionObservationConvention {

	/**
	 * The observation name.
	 */
	public static final String NAME = "background.tasks.attempt";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ExecutionObservationContext context) {
		return "task " + context.getClaim().task();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ExecutionObservationContext context) {
		KeyValues values = KeyValues.of(KeyValue.of("task", context.getClaim().task()));
		AttemptOutcome outcome = context.getOutcome();
		return (outcome != null) ? values.and("outcome", outcome.name().toLowerCase(Locale.ROOT)) : values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ExecutionObservationContext context) {
		return KeyValues.of("execution.id", context.getClaim().id().toString(), "execution.attempt",
				String.valueOf(context.getClaim().attempt()));
	}

}
