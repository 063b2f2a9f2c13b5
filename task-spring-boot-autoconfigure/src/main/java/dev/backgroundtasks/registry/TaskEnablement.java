package dev.backgroundtasks.registry;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.execution.TaskStateStore;

/**
 * Whether each task may be submitted and scheduled. A task is disabled when configuration switches it
 * off ({@code background-tasks.tasks.<name>.enabled=false}, which no runtime call overrides) or when
 * it was disabled at runtime ({@code $disable}, stored in the database for every node). The runtime
 * set is read from the database by every scheduler tick and otherwise at most once per
 * {@code maxAge}; changes made on this node apply here at once.
 */
public class TaskEnablement {

	private final TaskStateStore store;

	private final TaskOverrides overrides;

	private final long maxAgeNanos;

	private volatile Snapshot snapshot = new Snapshot(Set.of(), Long.MIN_VALUE);

	/**
	 * @param store where runtime states are stored
	 * @param overrides what configuration says about each task
	 * @param maxAge how old the runtime set may be when a submission is checked
	 */
	public TaskEnablement(TaskStateStore store, TaskOverrides overrides, Duration maxAge) {
		this.store = store;
		this.overrides = overrides;
		this.maxAgeNanos = maxAge.toNanos();
	}

	/**
	 * Reads the runtime-disabled tasks from the database.
	 * @return their names
	 */
	public Set<String> refresh() {
		Set<String> disabled = this.store.disabledTasks();
		this.snapshot = new Snapshot(disabled, System.nanoTime());
		return disabled;
	}

	/**
	 * @param task a task name
	 * @return whether configuration switches it off
	 */
	public boolean isSwitchedOff(String task) {
		return !this.overrides.of(task).enabled();
	}

	/**
	 * @param task a task name
	 * @return whether it may be submitted and scheduled now
	 */
	public boolean isEnabled(String task) {
		return !isSwitchedOff(task) && !current().contains(task);
	}

	/**
	 * @param task a task name
	 * @throws TaskDisabledException when the task is disabled
	 */
	public void requireEnabled(String task) {
		if (isSwitchedOff(task)) {
			throw switchedOff(task, "is switched off");
		}
		if (current().contains(task)) {
			throw new TaskDisabledException(task,
					"Task '" + task + "' is disabled; enable it with POST /tasks/" + task + "/$enable");
		}
	}

	/**
	 * Enables a task on every node.
	 * @param task the task name
	 * @throws TaskDisabledException when configuration switches it off: that wins over runtime enable
	 */
	public void enable(String task) {
		if (isSwitchedOff(task)) {
			throw switchedOff(task, "cannot be enabled at runtime: it is switched off");
		}
		this.store.setEnabled(task, true);
		update(task, false);
	}

	/**
	 * Disables a task on every node: it can no longer be submitted and its schedules stop firing.
	 * @param task the task name
	 */
	public void disable(String task) {
		this.store.setEnabled(task, false);
		update(task, true);
	}

	private TaskDisabledException switchedOff(String task, String what) {
		return new TaskDisabledException(task, "Task '" + task + "' " + what + " by configuration ("
				+ this.overrides.of(task).property("enabled") + "=false)");
	}

	private synchronized void update(String task, boolean disabled) {
		Set<String> changed = new HashSet<>(this.snapshot.disabled());
		if (disabled) {
			changed.add(task);
		}
		else {
			changed.remove(task);
		}
		this.snapshot = new Snapshot(Set.copyOf(changed), this.snapshot.readAt());
	}

	private Set<String> current() {
		Snapshot current = this.snapshot;
		if (current.readAt() == Long.MIN_VALUE || System.nanoTime() - current.readAt() > this.maxAgeNanos) {
			return refresh();
		}
		return current.disabled();
	}

	private record Snapshot(Set<String> disabled, long readAt) {
	}

}
