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

}
