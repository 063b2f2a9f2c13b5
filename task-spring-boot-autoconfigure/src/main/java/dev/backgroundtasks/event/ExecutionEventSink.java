package dev.backgroundtasks.event;

import java.util.List;

/**
 * Receives the events of this node, in order, on the event thread, after the application's listeners.
 */
@FunctionalInterface
public interface ExecutionEventSink {

	/**
	 * @param events the events, oldest first
	 */
	void accept(List<SequencedEvent> events);

	/**
	 * Some events of this node were dropped, never passed to {@link #accept}, because more events waited
	 * for delivery than {@code background-tasks.events.queue-capacity} allows. Told after the events
	 * passed before the drops, at most once a second. Does nothing by default.
	 * @param count how many were dropped since the previous call
	 */
	default void dropped(long count) {
	}

}
