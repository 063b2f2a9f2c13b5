package dev.backgroundtasks.autoconfigure;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Task;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.ExecutionPolicyResolver;
import dev.backgroundtasks.registry.RateLimit;
import dev.backgroundtasks.registry.TaskNames;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a task's policy: {@code background-tasks.tasks.<name>.*} first, then what the task declares,
 * then {@code background-tasks.retry.*} and {@code background-tasks.worker.default-timeout}.
 */
class PropertiesExecutionPolicyResolver implements ExecutionPolicyResolver {

	private final BackgroundTasksProperties properties;

	private final Map<String, Task> environment;

	/**
	 * @param properties the bound properties
	 * @param environment per-task settings read from environment variables, see
	 * {@link EnvironmentTaskSettings}
	 */
	PropertiesExecutionPolicyResolver(BackgroundTasksProperties properties, Map<String, Task> environment) {
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public ExecutionPolicy resolve(String task, ExecutionPolicy declared) {
		BackgroundTasksProperties.Retry defaults = this.properties.getRetry();
		ExecutionPolicy withDefaults = ExecutionPolicyResolver
			.withDefaults(defaults.getMaxAttempts(), defaults.getMinDelay(), defaults.getMaxDelay(),
					this.properties.getWorker().getDefaultTimeout())
			.resolve(task, declared);
		Task settings = settingsOf(task);
		if (settings == null) {
			return withDefaults;
		}
		BackgroundTasksProperties.TaskRetry retry = settings.getRetry();
		return ExecutionPolicyResolver.validated(task,
				new ExecutionPolicy(Objects.requireNonNullElse(retry.getMaxAttempts(), withDefaults.maxAttempts()),
						Objects.requireNonNullElse(retry.getMinDelay(), withDefaults.minDelay()),
						Objects.requireNonNullElse(retry.getMaxDelay(), withDefaults.maxDelay()),
						withDefaults.noRetryFor(), Objects.requireNonNullElse(settings.getTimeout(), withDefaults.timeout()),
						Objects.requireNonNullElse(settings.getConcurrency(), withDefaults.concurrency()),
						Objects.requireNonNullElse(settings.getRemote(), withDefaults.remote()),
						partitionBy(settings, withDefaults), rate(rateProperty(task), settings, withDefaults)));
	}

	private static @Nullable String partitionBy(Task settings, ExecutionPolicy declared) {
		String value = settings.getPartitionBy();
		if (value == null || value.isBlank()) {
			return declared.partitionBy();
		}
		return "-".equals(value.trim()) ? null : value.trim();
	}

	/**
	 * @throws InvalidTaskDefinitionException naming the property when its value is not a rate
	 */
	private static @Nullable RateLimit rate(String property, Task settings, ExecutionPolicy declared) {
		String value = settings.getRate();
		if (value == null || value.isBlank()) {
			return declared.rate();
		}
		if ("-".equals(value.trim())) {
			return null;
		}
		try {
			return RateLimit.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskDefinitionException(property + ": " + ex.getMessage());
		}
	}

	/**
	 * @return the rate's property as the user wrote it: a property key, or an environment variable
	 */
	private String rateProperty(String task) {
		String canonical = TaskNames.canonical(task);
		String key = this.properties.getTasks()
			.keySet()
			.stream()
			.filter((name) -> TaskNames.canonical(name).equals(canonical))
			.findFirst()
			.orElse(null);
		if (key != null) {
			return "background-tasks.tasks." + key + ".rate";
		}
		return this.environment.keySet()
			.stream()
			.filter((name) -> TaskNames.canonical(name).equals(canonical))
			.findFirst()
			.map((name) -> "BACKGROUND_TASKS_TASKS_" + name + "_RATE")
			.orElse("background-tasks.tasks." + task + ".rate");
	}

	private @Nullable Task settingsOf(String task) {
		String canonical = TaskNames.canonical(task);
		return Stream.concat(this.properties.getTasks().entrySet().stream(), this.environment.entrySet().stream())
			.filter((entry) -> TaskNames.canonical(entry.getKey()).equals(canonical))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

}
