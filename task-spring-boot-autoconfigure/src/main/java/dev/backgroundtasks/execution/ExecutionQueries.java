package dev.backgroundtasks.execution;

import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;

/**
 * Reads executions for callers and the REST API.
 */
public interface ExecutionQueries {

	/**
	 * @param id the execution id
	 * @return its snapshot, or empty when there is no such execution
	 */
	Optional<Execution> find(UUID id);

	/**
	 * Lists executions, newest first (by id: ids are time-ordered).
	 * @param filter what to include
	 * @param page the page number, from 0
	 * @param size the page size, at least 1
	 * @return the page
	 */
	ExecutionPage page(ExecutionFilter filter, int page, int size);

	/**
	 * @param task the task name
	 * @return the newest execution of the task, or empty when it has none
	 */
	default Optional<Execution> latest(String task) {
		return page(new ExecutionFilter(task, null), 0, 1).content().stream().findFirst();
	}

}
