package dev.backgroundtasks;

import java.util.List;

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
 */
public record TaskInfo(String name, String description, List<String> tags, String method, String signature,
		List<TaskParameterInfo> parameters, boolean acceptsAnyParams) {

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
