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
	 * Lists executions, newest first.
	 * @param filter what to include
	 * @param page the page number, from 0
	 * @param size the page size, at least 1
	 * @return the page
	 */
	ExecutionPage page(ExecutionFilter filter, int page, int size);

}
