package dev.backgroundtasks.actuate;

import java.util.Map;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.support.AttemptOutcome;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of the observation of one attempt. A receiver context: its carrier holds the trace
 * context stored at submission, so a tracing handler continues the submitter's trace.
 */
public class ExecutionObservationContext extends ReceiverContext<Map<String, String>> {

	private final ClaimedExecution claim;

	private volatile @Nullable AttemptOutcome outcome;

	public ExecutionObservationContext(ClaimedExecution claim) {
		super((carrier, key) -> carrier.get(key), Kind.CONSUMER);
		this.claim = claim;
		setCarrier(TraceContextText.decode(claim.traceContext()));
		setRemoteServiceName("background-tasks");
	}

	/**
	 * @return the claim the attempt runs
	 */
	public ClaimedExecution getClaim() {
		return this.claim;
	}

	/**
	 * @return how the attempt ended, or {@code null} while it runs
	 */
	public @Nullable AttemptOutcome getOutcome() {
		return this.outcome;
	}

	void setOutcome(AttemptOutcome outcome) {
		this.outcome = outcome;
	}

}
