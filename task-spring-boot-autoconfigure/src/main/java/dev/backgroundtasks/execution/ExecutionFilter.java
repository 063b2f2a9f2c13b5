package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;

/**
 * Which executions a listing includes: those that match every filter given; a {@code null} component
 * does not filter. Start from {@link #all()} and add filters with the {@code with…} methods.
 *
 * @param task only executions of this task
 * @param status only executions in this state
 * @param submittedBy only executions submitted by this principal
 * @param tasks only executions of any of these tasks (the tasks of a tag, say); an empty set matches no
 * execution. With {@code task} as well, only executions of {@code task} if the set holds it, none
 * otherwise
 * @param key only executions with this deduplication key, exactly
 * @param node only executions on this node: running there, or last run there
 * @param trigger only executions created this way
 * @param from only executions created at this instant or later. Creation times are compared as their
 * ids hold them (see {@link ExecutionIds#lowest}): to the millisecond, on the submitting node's clock,
 * which may differ a little from {@code createdAt} (database time). Not after the year 10889
 * @param to only executions created before this instant, compared like {@code from}
 * @param batchId only the members of this batch
 */
public record ExecutionFilter(@Nullable String task, @Nullable TaskStatus status, @Nullable String submittedBy,
		@Nullable Set<String> tasks, @Nullable String key, @Nullable String node, @Nullable TaskTrigger trigger,
		@Nullable Instant from, @Nullable Instant to, @Nullable UUID batchId) {

	private static final ExecutionFilter ALL = new ExecutionFilter(null, null, null, null, null, null, null, null,
			null, null);

	public ExecutionFilter {
		tasks = (tasks != null) ? Set.copyOf(tasks) : null;
		requireIdInstant("from", from);
		requireIdInstant("to", to);
	}

	/**
	 * @param task only executions of this task
	 * @param status only executions in this state
	 * @param submittedBy only executions submitted by this principal
	 */
	public ExecutionFilter(@Nullable String task, @Nullable TaskStatus status, @Nullable String submittedBy) {
		this(task, status, submittedBy, null, null, null, null, null, null, null);
	}

	/**
	 * A filter without a batch.
	 * @param task only executions of this task
	 * @param status only executions in this state
	 * @param submittedBy only executions submitted by this principal
	 * @param tasks only executions of any of these tasks
	 * @param key only executions with this deduplication key
	 * @param node only executions on this node
	 * @param trigger only executions created this way
	 * @param from only executions created at this instant or later
	 * @param to only executions created before this instant
	 */
	public ExecutionFilter(@Nullable String task, @Nullable TaskStatus status, @Nullable String submittedBy,
			@Nullable Set<String> tasks, @Nullable String key, @Nullable String node, @Nullable TaskTrigger trigger,
			@Nullable Instant from, @Nullable Instant to) {
		this(task, status, submittedBy, tasks, key, node, trigger, from, to, null);
	}

	/**
	 * @param task only executions of this task
	 * @param status only executions in this state
	 */
	public ExecutionFilter(@Nullable String task, @Nullable TaskStatus status) {
		this(task, status, null);
	}

	/**
	 * @return a filter that includes every execution
	 */
	public static ExecutionFilter all() {
		return ALL;
	}

	/**
	 * @param task only executions of this task, or {@code null} for any
	 * @return this filter with the given task
	 */
	public ExecutionFilter withTask(@Nullable String task) {
		return new ExecutionFilter(task, this.status, this.submittedBy, this.tasks, this.key, this.node, this.trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param status only executions in this state, or {@code null} for any
	 * @return this filter with the given status
	 */
	public ExecutionFilter withStatus(@Nullable TaskStatus status) {
		return new ExecutionFilter(this.task, status, this.submittedBy, this.tasks, this.key, this.node, this.trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param submittedBy only executions submitted by this principal, or {@code null} for anyone's
	 * @return this filter with the given submitter
	 */
	public ExecutionFilter withSubmittedBy(@Nullable String submittedBy) {
		return new ExecutionFilter(this.task, this.status, submittedBy, this.tasks, this.key, this.node, this.trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param tasks only executions of any of these tasks (empty: none), or {@code null} for any task
	 * @return this filter with the given tasks
	 */
	public ExecutionFilter withTasks(@Nullable Collection<String> tasks) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, (tasks != null) ? Set.copyOf(tasks) : null,
				this.key, this.node, this.trigger, this.from, this.to, this.batchId);
	}

	/**
	 * @param key only executions with this deduplication key, or {@code null} for any
	 * @return this filter with the given key
	 */
	public ExecutionFilter withKey(@Nullable String key) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, key, this.node, this.trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param node only executions on this node, or {@code null} for any
	 * @return this filter with the given node
	 */
	public ExecutionFilter withNode(@Nullable String node) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, this.key, node, this.trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param trigger only executions created this way, or {@code null} for any
	 * @return this filter with the given trigger
	 */
	public ExecutionFilter withTrigger(@Nullable TaskTrigger trigger) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, this.key, this.node, trigger,
				this.from, this.to, this.batchId);
	}

	/**
	 * @param from only executions created at this instant or later, or {@code null} for no lower bound
	 * @return this filter with the given lower bound
	 */
	public ExecutionFilter withFrom(@Nullable Instant from) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, this.key, this.node,
				this.trigger, from, this.to, this.batchId);
	}

	/**
	 * @param to only executions created before this instant, or {@code null} for no upper bound
	 * @return this filter with the given upper bound
	 */
	public ExecutionFilter withTo(@Nullable Instant to) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, this.key, this.node,
				this.trigger, this.from, to, this.batchId);
	}

	private static void requireIdInstant(String name, @Nullable Instant time) {
		if (time != null && time.isAfter(ExecutionIds.LAST)) {
			throw new IllegalArgumentException(
					name + " must not be after " + ExecutionIds.LAST + " (the last instant an id holds), got " + time);
		}
	}

	/**
	 * @param batchId only the members of this batch, or {@code null} for any execution
	 * @return this filter with the given batch
	 */
	public ExecutionFilter withBatchId(@Nullable UUID batchId) {
		return new ExecutionFilter(this.task, this.status, this.submittedBy, this.tasks, this.key, this.node,
				this.trigger, this.from, this.to, batchId);
	}

}
