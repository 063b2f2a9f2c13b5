package dev.backgroundtasks;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the registry knows about a task.
 *
 * @param name the unique task name
 * @param description a human-readable description, empty when none was given
 * @param tags the tags, in declaration order
 * @param method the bean method behind the task with its parameter types
 * ({@code com.example.Reports#daily(String, int)}), or
 * {@code "function"} for a task registered with a {@link TaskFunction}
 * @param signature the method signature with parameter types, e.g.
 * {@code daily(String region, int days) -> Report}
 * @param parameters the declared parameters a submission may bind; empty for a {@link TaskFunction}
 * @param acceptsAnyParams whether any params are accepted without validation (a {@link TaskFunction})
 * @param timeout the timeout of one attempt, or {@code null} for none
 * @param concurrency how many executions may run at once across the cluster (per partition with
 * {@code partitionBy}); 0 for no limit
 * @param retry the retry policy
 * @param enabled whether the task can be submitted and its schedules fire; {@code false} after
 * {@code $disable} or when switched off with {@code background-tasks.tasks.<name>.enabled=false}
 * @param schedules the schedules in effect, configuration overrides applied
 * @param lastExecution the most recently created execution, or {@code null} when there is none or it is
 * not known
 * @param remote whether the task may be submitted over the REST API
 * @param partitionBy the parameter whose value partitions {@code concurrency} and {@code rate}, or {@code null}
 * when they apply to the whole task
 * @param rate the rate limit as written, e.g. {@code "10/1s"}: at most that many attempts start in any
 * interval of that length; {@code null} for none
 */
public record TaskInfo(String name, String description, List<String> tags, String method, String signature,
		List<TaskParameterInfo> parameters, boolean acceptsAnyParams, @Nullable Duration timeout, int concurrency,
		RetryInfo retry, boolean enabled, List<ScheduleInfo> schedules, @Nullable LastExecution lastExecution,
		boolean remote, @Nullable String partitionBy, @Nullable String rate) {

	public TaskInfo {
		tags = List.copyOf(tags);
		parameters = List.copyOf(parameters);
		schedules = List.copyOf(schedules);
	}

	/**
	 * A task without partition or rate limit.
	 */
	public TaskInfo(String name, String description, List<String> tags, String method, String signature,
			List<TaskParameterInfo> parameters, boolean acceptsAnyParams, @Nullable Duration timeout, int concurrency,
			RetryInfo retry, boolean enabled, List<ScheduleInfo> schedules, @Nullable LastExecution lastExecution,
			boolean remote) {
		this(name, description, tags, method, signature, parameters, acceptsAnyParams, timeout, concurrency, retry,
				enabled, schedules, lastExecution, remote, null, null);
	}

	/**
	 * @param enabled whether the task is enabled
	 * @param schedules the schedules in effect
	 * @param lastExecution the latest execution, or {@code null}
	 * @return a copy with this runtime state
	 */
	public TaskInfo withState(boolean enabled, List<ScheduleInfo> schedules, @Nullable LastExecution lastExecution) {
		return new TaskInfo(this.name, this.description, this.tags, this.method, this.signature, this.parameters,
				this.acceptsAnyParams, this.timeout, this.concurrency, this.retry, enabled, schedules, lastExecution,
				this.remote, this.partitionBy, this.rate);
	}

	/**
	 * Whether the task carries every one of the given tags.
	 * @param required the tags to look for
	 * @return {@code true} when all are present (AND semantics); {@code true} for no tags
	 */
	public boolean hasAllTags(java.util.Collection<String> required) {
		return this.tags.containsAll(required);
	}

}
