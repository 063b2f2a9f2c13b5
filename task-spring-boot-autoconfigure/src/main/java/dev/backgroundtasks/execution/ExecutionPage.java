package dev.backgroundtasks.execution;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import org.jspecify.annotations.Nullable;

/**
 * One page of executions, newest first.
 *
 * @param content the executions on this page
 * @param page the page number, from 0
 * @param size the requested page size
 * @param totalElements how many executions match in all; when {@code totalCapped}, at least this many
 * @param totalPages how many pages there are; when {@code totalCapped}, at least this many
 * @param totalCapped whether the count stopped at its limit, so that {@code totalElements} is a lower bound
 * @param next the cursor of the next page: the id of the last execution on this page, to pass as
 * {@code before}; {@code null} when no execution follows
 */
public record ExecutionPage(List<Execution> content, int page, int size, long totalElements, int totalPages,
		boolean totalCapped, @Nullable UUID next) {

	public ExecutionPage {
		content = List.copyOf(content);
	}

	/**
	 * A page counted in full, without a cursor.
	 * @param content the executions on this page
	 * @param page the page number, from 0
	 * @param size the requested page size
	 * @param totalElements how many executions match in all
	 * @param totalPages how many pages there are
	 */
	public ExecutionPage(List<Execution> content, int page, int size, long totalElements, int totalPages) {
		this(content, page, size, totalElements, totalPages, false, null);
	}

	/**
	 * @param content the executions on this page
	 * @return this page with other content (the same executions, shown differently)
	 */
	public ExecutionPage withContent(List<Execution> content) {
		return new ExecutionPage(content, this.page, this.size, this.totalElements, this.totalPages, this.totalCapped,
				this.next);
	}

}
