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
 * @param concurrency how many executions may run at once across the cluster; 0 for no limit
 * @param retry the retry policy
 */
public record TaskInfo(String name, String description, List<String> tags, String method, String signature,
		List<TaskParameterInfo> parameters, boolean acceptsAnyParams, @Nullable Duration timeout, int concurrency,
		RetryInfo retry) {

	public TaskInfo {
		tags = List.copyOf(tags);
		parameters = List.copyOf(parameters);
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
