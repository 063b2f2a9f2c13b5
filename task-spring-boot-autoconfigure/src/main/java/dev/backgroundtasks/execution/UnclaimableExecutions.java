package dev.backgroundtasks.execution;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code READY} executions that no live node can claim, due or not: their task is registered on no
 * live node that runs a worker. Either the task is new and only nodes of an older version run (a
 * rolling deploy under way), or it was removed from the code while executions of it were queued, or
 * no node runs a worker at all ({@code liveWorkers} is 0: every {@code READY} execution is listed).
 *
 * @param liveWorkers how many live nodes run a worker
 * @param tasks per task name, its {@code READY} executions; sorted by name, only tasks with some
 */
public record UnclaimableExecutions(int liveWorkers, Map<String, Long> tasks) {

	public UnclaimableExecutions {
		tasks = Collections.unmodifiableMap(new TreeMap<>(tasks));
	}

}
