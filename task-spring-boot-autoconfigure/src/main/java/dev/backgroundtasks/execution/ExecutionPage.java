package dev.backgroundtasks.execution;

import java.util.List;

import dev.backgroundtasks.Execution;

/**
 * One page of executions, newest first.
 *
 * @param content the executions on this page
 * @param page the page number, from 0
 * @param size the requested page size
 * @param totalElements how many executions match in all
 * @param totalPages how many pages there are
 */
public record ExecutionPage(List<Execution> content, int page, int size, long totalElements, int totalPages) {

	public ExecutionPage {
		content = List.copyOf(content);
	}

}
