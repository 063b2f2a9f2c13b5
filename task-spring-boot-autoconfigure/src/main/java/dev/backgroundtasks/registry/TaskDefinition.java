package dev.backgroundtasks.registry;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.backgroundtasks.RetryInfo;
import dev.backgroundtasks.TaskInfo;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to validate a submission of a task and to run it.
 *
 * @param name the unique task name
 * @param description the description, or empty
 * @param tags the tags
 * @param source where the task comes from, e.g. {@code com.example.Reports#daily(String)}; named in
 * start-up errors
 * @param signature the signature shown to users
 * @param parameters the declared parameters, in method order
 * @param resultType the type the result binds back to, or {@code null} when unknown
 * @param acceptsAnyParams whether the params are handed over as a map without validation
 * @param policy retries, timeout and concurrency
 * @param invoker calls the task body
 */
public record TaskDefinition(String name, String description, List<String> tags, String source, String signature,
		List<TaskParameter> parameters, @Nullable Type resultType, boolean acceptsAnyParams, ExecutionPolicy policy,
		TaskInvoker invoker) {

	public TaskDefinition {
		tags = List.copyOf(tags);
		parameters = List.copyOf(parameters);
	}

	/**
	 * @param policy the policy to use instead
	 * @return a copy of this definition with another policy
	 */
	public TaskDefinition withPolicy(ExecutionPolicy policy) {
		return new TaskDefinition(this.name, this.description, this.tags, this.source, this.signature, this.parameters,
				this.resultType, this.acceptsAnyParams, policy, this.invoker);
	}

	/**
	 * @return the public view of this definition
	 */
	public TaskInfo toInfo() {
		Duration timeout = this.policy.timeout();
		return new TaskInfo(this.name, this.description, this.tags, this.source, this.signature,
				this.parameters.stream().map(TaskParameter::toInfo).toList(), this.acceptsAnyParams,
				(timeout == null || timeout.isZero()) ? null : timeout, this.policy.concurrency(),
				new RetryInfo(this.policy.maxAttempts(), Objects.requireNonNullElse(this.policy.minDelay(), Duration.ZERO),
						Objects.requireNonNullElse(this.policy.maxDelay(), Duration.ZERO)));
	}

}
