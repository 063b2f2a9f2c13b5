package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The rows of dependencies between executions: {@code bgt_execution_dependency} (one row per child and
 * parent, for finding the children of an execution that ended) and {@code after_ids} of the child (its
 * parents as submitted, read with the row); what a child's parents decide for it; and the move of a child
 * whose parent failed to {@code CANCELLED}, with a {@link DependencyFailedException} error naming it.
 */
final class DependencyRows {

	/** The most executions one submission may wait for. */
	static final int MAX_PARENTS = 100;

	private static final Transition ABANDON = ExecutionTransitions.of(TaskStatus.WAITING, TaskStatus.CANCELLED);

	private final JdbcTemplate jdbc;

	DependencyRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Reads the states of the parents of a new execution, in the inserting transaction.
	 * @param child the new execution, with parents
	 * @return the state it starts in: {@code READY} when every parent succeeded, {@code CANCELLED} (with
	 * the parent that did not) when one failed or was cancelled, {@code WAITING} otherwise
	 * @throws UnknownDependencyException when a parent does not exist
	 */
	Start check(NewExecution child) {
		List<UUID> parents = child.after();
		if (parents.size() > MAX_PARENTS) {
			throw new IllegalArgumentException("'after' may name at most " + MAX_PARENTS + " executions, got "
					+ parents.size());
		}
		Map<UUID, @Nullable TaskStatus> states = new LinkedHashMap<>();
		this.jdbc.query("SELECT id, status FROM bgt_execution WHERE id IN (" + marks(parents.size()) + ")",
				(RowCallbackHandler) (rs) -> states.put(rs.getObject(1, UUID.class), TaskStatus.valueOf(rs.getString(2))),
				parents.toArray());
		List<UUID> unknown = parents.stream().filter((parent) -> !states.containsKey(parent)).toList();
		if (!unknown.isEmpty()) {
			throw new UnknownDependencyException(unknown);
		}
		return decide(parents, states);
	}

	/**
	 * Stores the dependency rows of a new execution and, when it starts {@code CANCELLED}, moves it there,
	 * in the inserting transaction.
	 */
	void stored(NewExecution child, Start start) {
		this.jdbc.batchUpdate("INSERT INTO bgt_execution_dependency (execution_id, parent_id) VALUES (?, ?)",
				child.after().stream().map((parent) -> new Object[] { child.id(), parent }).toList());
		if (start.status() == TaskStatus.CANCELLED) {
			abandon(child.id(), start);
		}
	}

	/**
	 * Moves a waiting child to {@code CANCELLED}, guarded on {@code WAITING}.
	 * @param child the child
	 * @param start what its parents decided: the parent that failed, was cancelled or is gone
	 * @return whether it moved
	 */
	boolean abandon(UUID child, Start start) {
		String message = "Execution " + start.parent() + ((start.parentStatus() != null)
				? " ended " + start.parentStatus() : " no longer exists")
				+ ", so this execution, which was submitted after it, was cancelled";
		return this.jdbc.update("UPDATE bgt_execution SET " + ABANDON.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " error_type = ?, error_message = ?, error_stack_trace = '' WHERE id = ? AND " + ABANDON.guardById(),
				DependencyFailedException.class.getName(), message, child) == 1;
	}

	/**
	 * @param id an execution
	 * @return the executions submitted after it
	 */
	List<UUID> dependents(UUID id) {
		return this.jdbc.queryForList("SELECT execution_id FROM bgt_execution_dependency WHERE parent_id = ?",
				UUID.class, id);
	}

	/**
	 * Deletes the dependency rows of executions deleted in the same transaction.
	 */
	void deleted(Object[] ids) {
		this.jdbc.update("DELETE FROM bgt_execution_dependency WHERE execution_id IN (" + marks(ids.length) + ")", ids);
	}

	/**
	 * @param parents the parents, in the order given
	 * @param states their states; a missing or {@code null} one no longer exists
	 * @return what they decide for their child
	 */
	static Start decide(List<UUID> parents, Map<UUID, @Nullable TaskStatus> states) {
		boolean allSucceeded = true;
		for (UUID parent : parents) {
			TaskStatus status = states.get(parent);
			if (status == null || status == TaskStatus.FAILED || status == TaskStatus.CANCELLED) {
				return new Start(TaskStatus.CANCELLED, parent, status);
			}
			allSucceeded &= status == TaskStatus.SUCCESSFUL;
		}
		return new Start(allSucceeded ? TaskStatus.READY : TaskStatus.WAITING, null, null);
	}

	static String marks(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	/**
	 * @param after ids
	 * @return them comma-separated, as {@code after_ids} holds them, or {@code null} for none
	 */
	static @Nullable String format(List<UUID> after) {
		return after.isEmpty() ? null : after.stream().map(UUID::toString).collect(Collectors.joining(","));
	}

	/**
	 * @param afterIds the value of {@code after_ids}
	 * @return the ids it holds
	 */
	static List<UUID> parse(@Nullable String afterIds) {
		if (afterIds == null || afterIds.isEmpty()) {
			return List.of();
		}
		Set<UUID> ids = new LinkedHashSet<>();
		Arrays.stream(afterIds.split(",")).map(UUID::fromString).forEach(ids::add);
		return List.copyOf(ids);
	}

	/**
	 * Where a child goes, given its parents' states.
	 *
	 * @param status {@code WAITING}, {@code READY} or {@code CANCELLED}
	 * @param parent the parent that failed, was cancelled or is gone, for {@code CANCELLED}
	 * @param parentStatus that parent's state, {@code null} when gone
	 */
	record Start(TaskStatus status, @Nullable UUID parent, @Nullable TaskStatus parentStatus) {
	}

}
