package dev.backgroundtasks;

/**
 * What a schedule does about fire times that passed while no node could fire them: the application
 * was down, or the scheduler could not reach the database for longer than
 * {@code background-tasks.scheduler.misfire-threshold}. Never more than one catch-up execution is
 * created per schedule, however many fire times were missed.
 */
public enum Misfire {

	/** Fire once, as soon as possible, for the latest missed fire time. */
	FIRE_ONCE,

	/** Fire nothing for missed fire times; wait for the next one. */
	SKIP

}
