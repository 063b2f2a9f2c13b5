package dev.backgroundtasks.web;

import java.util.UUID;

import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;

/**
 * Which events one client of the event stream gets, and how.
 *
 * @param task only events of this task, or {@code null} for all
 * @param execution only events of this execution, or {@code null} for all
 * @param summary whether the client gets, at most once a second, one {@code changes} event that sums up
 * the events since the last one, instead of each event: for pages that only need to know that something
 * changed, which a drain of thousands of executions a second must not flood
 */
record StreamFilter(@Nullable String task, @Nullable UUID execution, boolean summary) {

	static final StreamFilter ALL = new StreamFilter(null, null, false);

	boolean wants(SequencedEvent event) {
		return (this.task == null || this.task.equals(event.event().task()))
				&& (this.execution == null || this.execution.equals(event.event().executionId()));
	}

}
