package dev.backgroundtasks.execution;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the scheduler reads; it stores the executions of fire times through
 * {@link ExecutionStore#insertScheduled}, like every other write of an execution. Time comes from the database, never from a node's clock, so
 * nodes with skewed clocks agree on what is due.
 */
public interface ScheduleStore {

	/**
	 * @return the database's current time
	 */
	Instant now();

	/**
	 * @param task the task name
	 * @param scheduleId the schedule id
	 * @return the latest fire time stored for that schedule, or {@code null} when there is none
	 */
	@Nullable Instant latestFireTime(String task, String scheduleId);

	/**
	 * @param task the task name
	 * @param scheduleId the schedule id
	 * @param fireTime the fire time
	 * @return whether an execution for that fire time exists
	 */
	boolean exists(String task, String scheduleId, Instant fireTime);

	/**
	 * @param task the task name
	 * @return whether an execution of that task is {@code READY} or {@code RUNNING}
	 */
	boolean hasActiveExecution(String task);

}
