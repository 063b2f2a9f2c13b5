package dev.backgroundtasks;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The tasks this application knows: every {@link BackgroundTask} method found at start-up, plus tasks
 * registered here from code.
 */
public interface TaskRegistry {

	/**
	 * Registers a task backed by a function instead of an annotated method. It accepts any params,
	 * passed to the function as plain JSON values.
	 * @param name the unique task name, matching {@code ^[a-zA-Z0-9_-]+$}
	 * @param function the task body
	 * @param tags tags to group and filter tasks
	 * @return the registered task
	 * @throws InvalidTaskDefinitionException when the name is invalid or already taken
	 */
	TaskInfo register(String name, TaskFunction function, String... tags);

	/**
	 * Finds a task by name.
	 * @param name the task name
	 * @return the task, or empty when unknown
	 */
	Optional<TaskInfo> find(String name);

	/**
	 * @return all tasks, sorted by name
	 */
	List<TaskInfo> tasks();

	/**
	 * Returns the tasks that carry every one of the given tags.
	 * @param tags the tags; an empty collection matches every task
	 * @return the matching tasks, sorted by name
	 */
	default List<TaskInfo> tasks(Collection<String> tags) {
		return tasks().stream().filter((task) -> task.hasAllTags(tags)).toList();
	}

}
