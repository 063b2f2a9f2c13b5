package dev.backgroundtasks.actuate;

import dev.backgroundtasks.event.ExecutionEventPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of this node's event delivery ({@link ExecutionEventPublisher}), read from the publisher's
 * own counts when scraped:
 * <ul>
 * <li>{@code background.tasks.events.dropped} function counter: events dropped because the event queue
 * was full ({@code background-tasks.events.queue-capacity}): their listener callbacks, application events
 * and stream events did not happen;</li>
 * <li>{@code background.tasks.events.queued} gauge: events waiting for delivery now.</li>
 * </ul>
 */
public class EventDeliveryMetrics {

	static final String DROPPED = "background.tasks.events.dropped";

	static final String QUEUED = "background.tasks.events.queued";

	/**
	 * Registers the meters.
	 * @param registry the meter registry
	 * @param publisher the publisher whose counts they read
	 */
	public EventDeliveryMetrics(MeterRegistry registry, ExecutionEventPublisher publisher) {
		FunctionCounter.builder(DROPPED, publisher, ExecutionEventPublisher::droppedCount)
			.description("Execution events dropped because the event queue was full")
			.register(registry);
		Gauge.builder(QUEUED, publisher, ExecutionEventPublisher::queuedCount)
			.description("Execution events waiting for delivery to listeners and the event stream")
			.register(registry);
	}

}
