package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What the scheduler reads and writes. Time comes from the database, never from a node's clock, so
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

	/**
	 * Stores a {@code READY} execution with trigger {@code SCHEDULE} and no params, unless one for the
	 * same task, schedule and fire time exists: each fire time is stored once across the cluster.
	 * @param id the new execution's id
	 * @param task the task name
	 * @param scheduleId the schedule id
	 * @param fireTime the fire time
	 * @return whether it was stored ({@code false}: another node stored it first)
	 */
	default boolean insert(UUID id, String task, String scheduleId, Instant fireTime) {
		return insert(id, task, scheduleId, fireTime, 1, 0);
	}

	/**
	 * Inserts the execution of one fire time, with its task's attempts and concurrency limit, unless
	 * it exists already.
	 * @param id the new execution's id
	 * @param task the task name
	 * @param scheduleId the schedule's id
	 * @param fireTime the fire time
	 * @param maxAttempts how many attempts it may make
	 * @param maxConcurrency the task's cluster-wide concurrency limit, 0 for none
	 * @return whether this call inserted it
	 */
	boolean insert(UUID id, String task, String scheduleId, Instant fireTime, int maxAttempts, int maxConcurrency);

}
