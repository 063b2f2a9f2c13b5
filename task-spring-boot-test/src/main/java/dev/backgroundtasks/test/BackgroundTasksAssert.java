package dev.backgroundtasks.test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the executions a test created, through its {@link BackgroundTasksTester}. Each method
 * picks the executions of one task (in one state) and fails, listing every execution of the test, when there
 * is none; the {@link ExecutionsAssert} it returns narrows them further. The assertions on outcomes
 * ({@link #succeeded}, {@link #failed}, {@link #cancelled}, {@link #completed}) first wait until the engine is
 * idle ({@link BackgroundTasksTester#awaitIdle()}), so they see what everything due came to.
 */
public class BackgroundTasksAssert extends AbstractAssert<BackgroundTasksAssert, BackgroundTasksTester> {

	private static final Set<TaskStatus> FINISHED = EnumSet.of(TaskStatus.SUCCESSFUL, TaskStatus.FAILED,
			TaskStatus.CANCELLED);

	BackgroundTasksAssert(BackgroundTasksTester tester) {
		super(tester, BackgroundTasksAssert.class);
	}

	/**
	 * @param task a task name
	 * @return the executions of that task, in any state; at least one
	 */
	public ExecutionsAssert submitted(String task) {
		return pick(task, "submitted", EnumSet.allOf(TaskStatus.class), false);
	}

	/**
	 * @param task a task name
	 * @return the executions of that task that ended {@code SUCCESSFUL}; at least one
	 */
	public ExecutionsAssert succeeded(String task) {
		return pick(task, "succeeded", EnumSet.of(TaskStatus.SUCCESSFUL), true);
	}

	/**
	 * @param task a task name
	 * @return the executions of that task that ended {@code FAILED} (no attempt left, or not retried); at
	 * least one
	 */
	public ExecutionsAssert failed(String task) {
		return pick(task, "failed", EnumSet.of(TaskStatus.FAILED), true);
	}

	/**
	 * @param task a task name
	 * @return the executions of that task that ended {@code CANCELLED}; at least one
	 */
	public ExecutionsAssert cancelled(String task) {
		return pick(task, "was cancelled", EnumSet.of(TaskStatus.CANCELLED), true);
	}

	/**
	 * @param task a task name
	 * @return the executions of that task that finished, whatever the outcome ({@code SUCCESSFUL},
	 * {@code FAILED} or {@code CANCELLED}); at least one
	 */
	public ExecutionsAssert completed(String task) {
		return pick(task, "completed", FINISHED, true);
	}

	/**
	 * Verifies that the test created no execution of a task.
	 * @param task a task name
	 * @return this
	 */
	public BackgroundTasksAssert didNotSubmit(String task) {
		isNotNull();
		List<Execution> all = this.actual.executions();
		if (all.stream().anyMatch((execution) -> execution.task().equals(task))) {
			failWithMessage("%s", "Expected no execution of task '" + task + "' since the test started, but found:"
					+ System.lineSeparator() + ExecutionsAssert.describe(all));
		}
		return this;
	}

	private ExecutionsAssert pick(String task, String what, Set<TaskStatus> states, boolean awaitOutcome) {
		isNotNull();
		if (awaitOutcome) {
			this.actual.awaitIdle();
		}
		List<Execution> all = this.actual.executions();
		List<Execution> picked = all.stream()
			.filter((execution) -> execution.task().equals(task) && states.contains(execution.status()))
			.toList();
		String described = "of task '" + task + "' that " + what;
		if (picked.isEmpty()) {
			failWithMessage("%s", "Expected an execution " + described + " since the test started (test clock at " + this.actual.now()
					+ "), but found " + (all.isEmpty() ? "no execution at all"
							: "only:" + System.lineSeparator() + ExecutionsAssert.describe(all)));
		}
		return new ExecutionsAssert(picked, all, described, this.actual);
	}

}
