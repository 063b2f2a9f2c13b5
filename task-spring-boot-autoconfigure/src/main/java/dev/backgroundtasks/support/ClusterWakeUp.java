package dev.backgroundtasks.support;

/**
 * Wakes the workers of the other nodes once new work is committed, where the database can tell them
 * (PostgreSQL's {@code NOTIFY}); without one, other nodes find new work by polling.
 */
@FunctionalInterface
public interface ClusterWakeUp {

	/**
	 * Asks for a wake-up of the other nodes; called after each commit of new work, so it must not block.
	 */
	void request();

}
