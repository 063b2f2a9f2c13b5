package dev.backgroundtasks;

/**
 * What created an execution.
 */
public enum TaskTrigger {

	/** Submitted through the REST API. */
	API,

	/** Submitted from Java code through {@link TaskClient}. */
	CODE,

	/** Fired by a schedule. */
	SCHEDULE,

	/** Created by retrying an earlier execution. */
	RETRY

}
