package dev.backgroundtasks.registry;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.backgroundtasks.RetryInfo;
import dev.backgroundtasks.ScheduleInfo;
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
 * @param schedules the schedules its annotations declare, before configuration overrides
 */
public record TaskDefinition(String name, String description, List<String> tags, String source, String signature,
		List<TaskParameter> parameters, @Nullable Type resultType, boolean acceptsAnyParams, ExecutionPolicy policy,
		TaskInvoker invoker, List<ScheduleDeclaration> schedules) {

	public TaskDefinition {
		tags = List.copyOf(tags);
		parameters = List.copyOf(parameters);
		schedules = List.copyOf(schedules);
	}

	/**
	 * A definition without schedules.
	 */
	public TaskDefinition(String name, String description, List<String> tags, String source, String signature,
			List<TaskParameter> parameters, @Nullable Type resultType, boolean acceptsAnyParams, ExecutionPolicy policy,
			TaskInvoker invoker) {
		this(name, description, tags, source, signature, parameters, resultType, acceptsAnyParams, policy, invoker,
				List.of());
	}

	/**
	 * @param schedules the declared schedules
	 * @return a copy of this definition with these schedules
	 */
	public TaskDefinition withSchedules(List<ScheduleDeclaration> schedules) {
		return new TaskDefinition(this.name, this.description, this.tags, this.source, this.signature, this.parameters,
				this.resultType, this.acceptsAnyParams, this.policy, this.invoker, schedules);
	}

	/**
	 * @param policy the policy to use instead
	 * @return a copy of this definition with another policy
	 */
	public TaskDefinition withPolicy(ExecutionPolicy policy) {
		return new TaskDefinition(this.name, this.description, this.tags, this.source, this.signature, this.parameters,
				this.resultType, this.acceptsAnyParams, policy, this.invoker, this.schedules);
	}

	/**
	 * The public view of this definition as declared: enabled, with its declared schedules (no next
	 * fire time, configuration overrides not applied) and no last execution. The REST API adds the
	 * runtime state.
	 * @return the public view of this definition
	 */
	public TaskInfo toInfo() {
		Duration timeout = this.policy.timeout();
		List<ScheduleInfo> declared = this.schedules.stream()
			.filter((schedule) -> !schedule.isDisabled())
			.map(TaskDefinition::declaredInfo)
			.toList();
		return new TaskInfo(this.name, this.description, this.tags, this.source, this.signature,
				this.parameters.stream().map(TaskParameter::toInfo).toList(), this.acceptsAnyParams,
				(timeout == null || timeout.isZero()) ? null : timeout, this.policy.concurrency(),
				new RetryInfo(this.policy.maxAttempts(), Objects.requireNonNullElse(this.policy.minDelay(), Duration.ZERO),
						Objects.requireNonNullElse(this.policy.maxDelay(), Duration.ZERO)),
				true, declared, null, this.policy.remote(), this.policy.partitionBy(),
				(this.policy.rate() != null) ? this.policy.rate().text() : null);
	}

	private static ScheduleInfo declaredInfo(ScheduleDeclaration schedule) {
		if (!schedule.every().isBlank()) {
			return new ScheduleInfo("every " + schedule.every().trim(), null, null);
		}
		return new ScheduleInfo(schedule.cron().trim(), schedule.zone().isBlank() ? "UTC" : schedule.zone().trim(),
				null);
	}

}
