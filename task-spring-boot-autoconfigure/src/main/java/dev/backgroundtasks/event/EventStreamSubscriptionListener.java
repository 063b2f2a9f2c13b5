package dev.backgroundtasks.event;

/**
 * Told before a client subscribes to this node's event stream: a cluster relay announces that this
 * node streams, so that every node sends its events from then on.
 */
@FunctionalInterface
public interface EventStreamSubscriptionListener {

	/**
	 * Runs before a client is added to the stream; must not block for long.
	 */
	void beforeSubscribe();

}
