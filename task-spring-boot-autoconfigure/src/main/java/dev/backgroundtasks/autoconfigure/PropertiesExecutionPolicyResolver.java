package dev.backgroundtasks.autoconfigure;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Task;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.ExecutionPolicyResolver;
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
						withDefaults.concurrency(), Objects.requireNonNullElse(settings.getRemote(), withDefaults.remote())));
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
