package dev.backgroundtasks.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.backgroundtasks.support.ExecutionObserver;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * Captures the trace context current when an execution is submitted (the request that submits it, say)
 * with the tracer's propagator, so that it is stored with the execution. The observation of each
 * attempt ({@link ObservationExecutionObserver}) restores it as the parent of the attempt's span.
 */
public class TracingExecutionObserver implements ExecutionObserver {

	private final Tracer tracer;

	private final Propagator propagator;

	public TracingExecutionObserver(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public @Nullable String traceContext() {
		TraceContext context = this.tracer.currentTraceContext().context();
		if (context == null) {
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		this.propagator.inject(context, headers, Map::put);
		return TraceContextText.encode(headers);
	}

}
