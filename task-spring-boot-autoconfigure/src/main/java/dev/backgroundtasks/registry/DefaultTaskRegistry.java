package dev.backgroundtasks.registry;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.TaskFunction;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;

/**
 * The task registry: annotated methods found at start-up and tasks registered from code.
 */
public class DefaultTaskRegistry implements TaskRegistry {

	private final Map<String, TaskDefinition> byName = new ConcurrentHashMap<>();

	private final Map<String, TaskDefinition> byCanonicalName = new ConcurrentHashMap<>();

	private final ExecutionPolicyResolver policies;

	private volatile Set<String> names = Set.of();

	/**
	 * A registry with the built-in policy defaults: 3 attempts, retries after 10s to 10m, no timeout.
	 */
	public DefaultTaskRegistry() {
		this(ExecutionPolicyResolver.withDefaults(3, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ZERO));
	}

	/**
	 * @param policies completes each task's declared policy with configuration
	 */
	public DefaultTaskRegistry(ExecutionPolicyResolver policies) {
		this.policies = policies;
	}

	@Override
	public TaskInfo register(String name, TaskFunction function, String... tags) {
		return register(FunctionTaskDefinitions.create(name, function, List.of(tags))).toInfo();
	}

	/**
	 * Registers a definition, its policy completed from configuration.
	 * @param declared the definition as declared
	 * @return the registered definition
	 * @throws InvalidTaskDefinitionException when its name is invalid or collides with another task's
	 */
	public synchronized TaskDefinition register(TaskDefinition declared) {
		String name = declared.name();
		if (!TaskNames.isValid(name)) {
			throw new InvalidTaskDefinitionException("Invalid task name '" + name + "' on " + declared.source()
					+ ": a task name must match ^[a-zA-Z0-9_-]+$");
		}
		TaskDefinition definition = declared.withPolicy(this.policies.resolve(name, declared.policy()));
		checkPartition(definition);
		TaskDefinition existing = this.byCanonicalName.get(TaskNames.canonical(name));
		if (existing != null) {
			String clash = existing.name().equals(name) ? "Duplicate task name '" + name + "'"
					: "Task names '" + existing.name() + "' and '" + name
							+ "' collide (configuration keys ignore case, '-' and '_')";
			throw new InvalidTaskDefinitionException(
					clash + ": declared by " + describe(existing) + " and by " + describe(definition));
		}
		this.byCanonicalName.put(TaskNames.canonical(name), definition);
		this.byName.put(name, definition);
		this.names = Set.copyOf(this.byName.keySet());
		return definition;
	}

	/**
	 * A partition needs a parameter to read it from, and a limit to apply per partition; either may come from
	 * the annotation or from configuration.
	 */
	private static void checkPartition(TaskDefinition definition) {
		String partitionBy = definition.policy().partitionBy();
		if (partitionBy == null) {
			return;
		}
		String where = "Task '" + definition.name() + "' (" + describe(definition) + ")";
		String settings = " (@BackgroundTask(partitionBy) or background-tasks.tasks." + definition.name()
				+ ".partition-by)";
		if (!definition.acceptsAnyParams()
				&& definition.parameters().stream().noneMatch((parameter) -> parameter.name().equals(partitionBy))) {
			throw new InvalidTaskDefinitionException(where + ": partitionBy '" + partitionBy + "'" + settings
					+ " names no parameter of the task; its parameters are "
					+ definition.parameters().stream().map(TaskParameter::name).toList());
		}
		if (!definition.policy().isLimited()) {
			throw new InvalidTaskDefinitionException(where + ": partitionBy '" + partitionBy + "'" + settings
					+ " needs a concurrency or a rate to apply per partition");
		}
	}

	private static String describe(TaskDefinition definition) {
		return definition.acceptsAnyParams() ? "a function registered through TaskRegistry" : definition.source();
	}

	/**
	 * @param name a task name
	 * @return its definition, or empty when unknown
	 */
	public Optional<TaskDefinition> definition(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	/**
	 * @return the names of every registered task; the same set until a task is registered
	 */
	public Set<String> names() {
		return this.names;
	}

	/**
	 * @return every registered definition, sorted by name
	 */
	public List<TaskDefinition> definitions() {
		return this.byName.values().stream().sorted(Comparator.comparing(TaskDefinition::name)).toList();
	}

	/**
	 * @return whether any registered task has a cluster-wide concurrency or rate limit
	 */
	public boolean hasConcurrencyLimits() {
		return this.byName.values().stream().anyMatch((definition) -> definition.policy().isLimited());
	}

	@Override
	public Optional<TaskInfo> find(String name) {
		return definition(name).map(TaskDefinition::toInfo);
	}

	@Override
	public List<TaskInfo> tasks() {
		return this.byName.values()
			.stream()
			.sorted(Comparator.comparing(TaskDefinition::name))
			.map(TaskDefinition::toInfo)
			.toList();
	}

}
