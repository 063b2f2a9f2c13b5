package dev.backgroundtasks.execution;

import java.util.List;

import dev.backgroundtasks.Execution;

/**
 * One page of executions, newest first, without a count of all that match: what a listing of a large
 * table can afford on every page (see {@link ExecutionQueries#slice}).
 *
 * @param content the executions on this page
 * @param page the page number, from 0
 * @param size the requested page size
 * @param hasNext whether more executions follow this page
 */
public record ExecutionSlice(List<Execution> content, int page, int size, boolean hasNext) {

	public ExecutionSlice {
		content = List.copyOf(content);
	}

}
