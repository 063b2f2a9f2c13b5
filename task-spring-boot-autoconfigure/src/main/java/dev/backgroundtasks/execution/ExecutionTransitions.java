package dev.backgroundtasks.execution;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.backgroundtasks.TaskStatus;

/**
 * The one transition table of the execution state machine. Every store statement that changes a
 * state is built from a {@link Transition} taken from here, and guards its {@code from} state in SQL,
 * so two nodes can never both move the same row.
 *
 * <pre>
 * WAITING → READY | CANCELLED (released by the executions it waits for, or cancelled)
 * READY   → RUNNING | CANCELLED
 * RUNNING → SUCCESSFUL | FAILED | CANCELLED | READY (retry scheduled, or lease lost)
 * </pre>
 */
public final class ExecutionTransitions {

	private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = new EnumMap<>(TaskStatus.class);

	static {
		ALLOWED.put(TaskStatus.WAITING, EnumSet.of(TaskStatus.READY, TaskStatus.CANCELLED));
		ALLOWED.put(TaskStatus.READY, EnumSet.of(TaskStatus.RUNNING, TaskStatus.CANCELLED));
		ALLOWED.put(TaskStatus.RUNNING,
				EnumSet.of(TaskStatus.SUCCESSFUL, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.READY));
		ALLOWED.put(TaskStatus.SUCCESSFUL, EnumSet.noneOf(TaskStatus.class));
		ALLOWED.put(TaskStatus.FAILED, EnumSet.noneOf(TaskStatus.class));
		ALLOWED.put(TaskStatus.CANCELLED, EnumSet.noneOf(TaskStatus.class));
	}

	private ExecutionTransitions() {
	}

	/**
	 * @param from the current state
	 * @param to the wanted state
	 * @return whether the state machine allows the move
	 */
	public static boolean isAllowed(TaskStatus from, TaskStatus to) {
		return ALLOWED.get(from).contains(to);
	}

	/**
	 * Returns a transition the table allows.
	 * @param from the current state
	 * @param to the wanted state
	 * @return the transition
	 * @throws IllegalArgumentException when the table does not allow it
	 */
	public static Transition of(TaskStatus from, TaskStatus to) {
		if (!isAllowed(from, to)) {
			throw new IllegalArgumentException("No transition from " + from + " to " + to);
		}
		return new Transition(from, to);
	}

	/**
	 * An allowed move between two states.
	 *
	 * @param from the state a row must be in
	 * @param to the state it moves to
	 */
	public record Transition(TaskStatus from, TaskStatus to) {

		/**
		 * @return the SQL assignment of the target state
		 */
		public String set() {
			return "status = '" + this.to.name() + "'";
		}

		/**
		 * @return the SQL condition that guards the source state
		 */
		public String guard() {
			return "status = '" + this.from.name() + "'";
		}

		/**
		 * The guard of a statement that finds its rows by id. The state is compared with the value of a
		 * subquery, which the planner cannot match with the predicate of a partial index of that state:
		 * statistics taken while few rows were in the state make such an index look cheaper than the
		 * primary key, and it still holds the entries of rows that left the state until vacuum runs, so
		 * every statement would read all of them (the completion of a batch did, on every batch).
		 * @return the SQL condition that guards the source state, for statements by id
		 */
		public String guardById() {
			return "status = (SELECT '" + this.from.name() + "')";
		}

	}

}
