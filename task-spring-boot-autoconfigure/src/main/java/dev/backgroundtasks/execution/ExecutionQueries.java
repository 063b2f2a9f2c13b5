package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import org.jspecify.annotations.Nullable;

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
	 * Reads several executions, with one query where the implementation can (the event thread reads the
	 * executions of a whole batch of events for the listeners). The default implementation calls
	 * {@link #find} for each id.
	 * @param ids the execution ids
	 * @return the snapshots of those that exist, by id
	 */
	default Map<UUID, Execution> findAll(Collection<UUID> ids) {
		Map<UUID, Execution> found = new LinkedHashMap<>();
		for (UUID id : ids) {
			find(id).ifPresent((execution) -> found.put(id, execution));
		}
		return found;
	}

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
	 * Lists executions newest first from a cursor, counting no more than a limit: what the REST API
	 * serves. A page after a cursor starts where the cursor is, whatever its depth, where a page number
	 * skips every row before it. The default implementation runs {@link #page(ExecutionFilter, int, int)}
	 * and accepts no cursor.
	 * @param filter what to include
	 * @param before only executions older than this one (with a smaller id), or {@code null} from the
	 * newest. It need not exist any more: it is a position in the listing
	 * @param page the page number, from 0, counted from the cursor
	 * @param size the page size, at least 1
	 * @param countLimit the most executions to count, at least 1: {@link ExecutionPage#totalCapped()}
	 * tells when more match
	 * @return the page, with {@link ExecutionPage#next()} set when more executions follow
	 */
	default ExecutionPage page(ExecutionFilter filter, @Nullable UUID before, int page, int size, long countLimit) {
		if (before != null) {
			throw new UnsupportedOperationException(getClass().getName() + " lists no executions after a cursor");
		}
		ExecutionPage full = page(filter, page, size);
		boolean capped = full.totalElements() > countLimit;
		long total = Math.min(full.totalElements(), countLimit);
		UUID next = (page + 1 < full.totalPages() && !full.content().isEmpty())
				? full.content().get(full.content().size() - 1).id() : null;
		return new ExecutionPage(full.content(), page, size, total, (int) ((total + size - 1) / size), capped, next);
	}

	/**
	 * Lists executions like {@link #page}, without counting all that match: on a large table a full
	 * count reads every matching row, a slice only its page and one row more. The default implementation
	 * runs {@link #page}, count included.
	 * @param filter what to include
	 * @param page the page number, from 0
	 * @param size the page size, at least 1
	 * @return the page, and whether another follows
	 */
	default ExecutionSlice slice(ExecutionFilter filter, int page, int size) {
		ExecutionPage result = page(filter, page, size);
		return new ExecutionSlice(result.content(), page, size, page + 1 < result.totalPages());
	}

	/**
	 * Counts executions up to a limit, reading no more rows than that: a listing can show "10,000+"
	 * without a full count of a large table. The default implementation counts them all through
	 * {@link #page}.
	 * @param filter what to include
	 * @param limit the most to count, 0 or more
	 * @return how many executions match, or {@code limit} when at least that many do
	 */
	default long count(ExecutionFilter filter, long limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must be 0 or more, got " + limit);
		}
		return (limit != 0) ? Math.min(page(filter, 0, 1).totalElements(), limit) : 0;
	}

	/**
	 * Counts as {@link #count(ExecutionFilter, long)} does, giving up after a while: a count reads every
	 * matching row up to the limit, and where no index serves the filters and fewer rows than the
	 * limit match, that is the whole table.
	 * @param filter what to count
	 * @param limit the most to count
	 * @param timeout how long the database may take, in whole seconds (rounded up)
	 * @return the count, or empty when it took longer
	 */
	default OptionalLong count(ExecutionFilter filter, long limit, Duration timeout) {
		return OptionalLong.of(count(filter, limit));
	}

	/**
	 * @param task the task name
	 * @return the newest execution of the task, or empty when it has none
	 */
	default Optional<Execution> latest(String task) {
		return page(new ExecutionFilter(task, null), 0, 1).content().stream().findFirst();
	}

}
