package dev.backgroundtasks.execution;

import java.util.Set;

/**
 * Runtime enable/disable of tasks, shared by every node through the database.
 */
public interface TaskStateStore {

	/**
	 * @return the names of the tasks disabled at runtime
	 */
	Set<String> disabledTasks();

	/**
	 * @param task the task name
	 * @param enabled whether it is enabled
	 */
	void setEnabled(String task, boolean enabled);

}
