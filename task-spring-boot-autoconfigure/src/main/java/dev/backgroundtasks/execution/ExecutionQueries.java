package dev.backgroundtasks.execution;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;

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
	 * The attempts of an execution, oldest first: its past attempts, those that a retry, a hand-back at
	 * shutdown or a lease recovery superseded (at most the last 100 of them), then its current or last
	 * attempt ({@code RUNNING} while it runs, its outcome once it has ended). An execution waiting for its
	 * next attempt has only past ones. By default, without past attempts: the current or last attempt
	 * alone, from {@link #find}.
	 * @param id the execution id
	 * @return its attempts; empty when it never started, or when there is no such execution
	 */
	default List<ExecutionAttempt> attempts(UUID id) {
		return find(id).map(AttemptHistory::current).stream().toList();
	}

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
