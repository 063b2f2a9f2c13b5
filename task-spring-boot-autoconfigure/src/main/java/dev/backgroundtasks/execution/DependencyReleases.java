package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.backgroundtasks.DependencyFailedException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dependencies between executions ({@code bgt_execution_dependency}): stores the parents of a new
 * execution, and moves {@code WAITING} executions once their parents are terminal: to {@code READY} when
 * all succeeded, to {@code CANCELLED} (a {@link DependencyFailedException} error naming the parent) when
 * one failed, was cancelled or no longer exists; a cancellation releases the children of the cancelled
 * execution in turn, down the chain.
 * <p>
 * A release reads the parents' states after their writes committed, in a transaction of its own, and moves
 * each child with a statement guarded on {@code WAITING}: terminal states never change, so what it read
 * still holds, and two nodes releasing the same child move it once. Every writer of a terminal state runs
 * a release after its commit, and every insert of a waiting child runs one for that child after its
 * commit, so whichever commits last sees the other: two parents finishing at once on two nodes, or a
 * parent finishing while its child is inserted, never leave the child waiting. While no execution waits
 * (looked up at most once a second, {@link #known}), a terminal write runs no statement at all; the
 * {@link #sweep} on every heartbeat releases what was missed (a node stopped between a parent's commit and
 * its release, or had not seen yet that another node stored a waiting child).
 */
final class DependencyReleases {

	/** The most executions one submission may wait for. */
	static final int MAX_PARENTS = 100;

	private static final Transition RELEASE = ExecutionTransitions.of(TaskStatus.WAITING, TaskStatus.READY);

	private static final Transition ABANDON = ExecutionTransitions.of(TaskStatus.WAITING, TaskStatus.CANCELLED);

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private static final int SWEEP_BATCH = 1000;

	/** Children with their parents and the parents' states ({@code NULL} when deleted), by child. */
	private static final String WAITING_CHILDREN = "SELECT c.id, c.task_name, d.parent_id, p.status FROM bgt_execution c"
			+ " JOIN bgt_execution_dependency d ON d.execution_id = c.id LEFT JOIN bgt_execution p ON p.id = d.parent_id"
			+ " WHERE " + RELEASE.guard().replace("status", "c.status") + " AND ";

	/**
	 * Waiting executions that a release would move: no parent is still active, or one failed, was cancelled
	 * or is gone.
	 */
	private static final String DECIDED = "SELECT c.id FROM bgt_execution c WHERE "
			+ RELEASE.guard().replace("status", "c.status") + " AND (NOT EXISTS (SELECT 1 FROM bgt_execution_dependency d"
			+ " JOIN bgt_execution p ON p.id = d.parent_id WHERE d.execution_id = c.id AND p.status IN ('"
			+ TaskStatus.WAITING.name() + "', '" + TaskStatus.READY.name() + "', '" + TaskStatus.RUNNING.name() + "'))"
			+ " OR EXISTS (SELECT 1 FROM bgt_execution_dependency d LEFT JOIN bgt_execution p ON p.id = d.parent_id"
			+ " WHERE d.execution_id = c.id AND (p.id IS NULL OR p.status IN ('" + TaskStatus.FAILED.name() + "', '"
			+ TaskStatus.CANCELLED.name() + "')))) FETCH FIRST " + SWEEP_BATCH + " ROWS ONLY";

	private final JdbcTemplate jdbc;

	private final TransactionOperations transactions;

	private static final long PROBE_NANOS = 1_000_000_000L;

	/** Whether a waiting execution existed when last looked, or this node stored one since. */
	private volatile boolean known;

	/** When {@link #known} was last read from the database. */
	private volatile long probedAt = System.nanoTime() - PROBE_NANOS;

	private volatile Consumer<List<ReleasedExecution>> listener = (released) -> {
	};

	/**
	 * @param jdbc the template
	 * @param transactions transactions of the engine's own; releases run in new ones, after the commit of
	 * the write that calls them
	 */
	DependencyReleases(JdbcTemplate jdbc, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.transactions = requiresNew(transactions);
	}

	private static TransactionOperations requiresNew(TransactionOperations transactions) {
		if (transactions instanceof TransactionTemplate template && template.getTransactionManager() != null) {
			TransactionTemplate copy = new TransactionTemplate(template.getTransactionManager(), template);
			copy.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
			return copy;
		}
		return transactions;
	}

	void onReleased(Consumer<List<ReleasedExecution>> listener) {
		this.listener = listener;
	}

	/**
	 * Checks the parents of a new execution and stores its dependencies, in the inserting transaction.
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
		Map<UUID, TaskStatus> states = new LinkedHashMap<>();
		this.jdbc.query("SELECT id, status FROM bgt_execution WHERE id IN (" + marks(parents.size()) + ")",
				(RowCallbackHandler) (rs) -> states.put(rs.getObject(1, UUID.class), TaskStatus.valueOf(rs.getString(2))),
				parents.toArray());
		List<UUID> unknown = parents.stream().filter((parent) -> !states.containsKey(parent)).toList();
		if (!unknown.isEmpty()) {
			throw new UnknownDependencyException(unknown);
		}
		this.known = true;
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
			abandon(child.id(), start.parent(), start.parentStatus());
		}
	}

	/**
	 * Checks a child stored {@code WAITING} again once its insert commits: a parent may have finished
	 * between the check and the commit, without seeing the child.
	 */
	void inserted(UUID child) {
		afterCommit(() -> run(() -> release(WAITING_CHILDREN + "c.id = ?", new Object[] { child })));
	}

	/**
	 * Releases the waiting children of executions that just reached a terminal state, after the write
	 * commits. Runs no statement while this node knows of no dependency.
	 * @param parents the executions
	 */
	void finished(Collection<UUID> parents) {
		if (parents.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		if (now - this.probedAt > PROBE_NANOS) {
			// At most one indexed look a second: executions that wait, stored by any node, exist or not.
			this.probedAt = now;
			this.known = anyWaiting();
		}
		if (!this.known) {
			return;
		}
		List<UUID> ids = List.copyOf(parents);
		afterCommit(() -> releaseChildrenOf(ids));
	}

	/**
	 * Releases up to a batch of waiting executions whose parents are all terminal (or one of which failed):
	 * the backstop for releases missed by a node that stopped, or did not know of the dependency. Without
	 * waiting executions, one indexed look; with them, one more statement that reads the waiting rows.
	 * @return the executions released
	 */
	List<ReleasedExecution> sweep() {
		this.known = anyWaiting();
		if (!this.known) {
			return List.of();
		}
		List<UUID> waiting = this.jdbc.queryForList(DECIDED, UUID.class);
		if (waiting.isEmpty()) {
			return List.of();
		}
		List<ReleasedExecution> released = new ArrayList<>();
		for (int from = 0; from < waiting.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = waiting.subList(from, Math.min(waiting.size(), from + MAX_IDS_PER_STATEMENT));
			released.addAll(run(() -> release(WAITING_CHILDREN + "c.id IN (" + marks(chunk.size()) + ")",
					chunk.toArray())));
		}
		return released;
	}

	private boolean anyWaiting() {
		return !this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE " + RELEASE.guard()
				+ " FETCH FIRST 1 ROWS ONLY", UUID.class).isEmpty();
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

	private void afterCommit(Runnable release) {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					release.run();
				}

			});
		}
		else {
			release.run();
		}
	}

	private List<ReleasedExecution> releaseChildrenOf(List<UUID> parents) {
		List<ReleasedExecution> released = new ArrayList<>();
		for (int from = 0; from < parents.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = parents.subList(from, Math.min(parents.size(), from + MAX_IDS_PER_STATEMENT));
			released.addAll(run(() -> release(WAITING_CHILDREN + "c.id IN (SELECT execution_id FROM"
					+ " bgt_execution_dependency WHERE parent_id IN (" + marks(chunk.size()) + "))", chunk.toArray())));
		}
		return released;
	}

	/**
	 * Runs a release in a new transaction, then tells the listener what it moved.
	 */
	private List<ReleasedExecution> run(java.util.function.Supplier<List<ReleasedExecution>> release) {
		List<ReleasedExecution> released = this.transactions.execute((status) -> release.get());
		if (released == null || released.isEmpty()) {
			return List.of();
		}
		this.listener.accept(released);
		// A cancelled child is terminal: its own children follow it, each chain link in a new transaction.
		List<UUID> cancelled = released.stream()
			.filter((execution) -> execution.status() == TaskStatus.CANCELLED)
			.map(ReleasedExecution::id)
			.toList();
		List<ReleasedExecution> all = new ArrayList<>(released);
		if (!cancelled.isEmpty()) {
			all.addAll(releaseChildrenOf(cancelled));
		}
		return all;
	}

	/**
	 * Reads the given waiting children with their parents' states and moves those whose parents decide it.
	 * @param select {@link #WAITING_CHILDREN} with the condition that picks the children
	 */
	private List<ReleasedExecution> release(String select, Object[] args) {
		Map<UUID, String> tasks = new LinkedHashMap<>();
		Map<UUID, Map<UUID, @Nullable TaskStatus>> parents = new LinkedHashMap<>();
		this.jdbc.query(select, (RowCallbackHandler) (rs) -> {
			UUID child = rs.getObject(1, UUID.class);
			tasks.put(child, rs.getString(2));
			String status = rs.getString(4);
			parents.computeIfAbsent(child, (key) -> new LinkedHashMap<>())
				.put(rs.getObject(3, UUID.class), (status != null) ? TaskStatus.valueOf(status) : null);
		}, args);
		List<ReleasedExecution> released = new ArrayList<>();
		parents.forEach((child, states) -> {
			Start start = decide(List.copyOf(states.keySet()), states);
			boolean moved = switch (start.status()) {
				case READY -> this.jdbc.update("UPDATE bgt_execution SET " + RELEASE.set() + ", run_at = CASE WHEN run_at"
						+ " < CURRENT_TIMESTAMP THEN CURRENT_TIMESTAMP ELSE run_at END WHERE id = ? AND "
						+ RELEASE.guardById(), child) == 1;
				case CANCELLED -> abandon(child, start.parent(), start.parentStatus());
				default -> false;
			};
			if (moved) {
				released.add(new ReleasedExecution(child, tasks.get(child), start.status()));
			}
		});
		return released;
	}

	private boolean abandon(UUID child, @Nullable UUID parent, @Nullable TaskStatus parentStatus) {
		String message = "Execution " + parent + ((parentStatus != null) ? " ended " + parentStatus
				: " no longer exists") + ", so this execution, which was submitted after it, was cancelled";
		return this.jdbc.update("UPDATE bgt_execution SET " + ABANDON.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " error_type = ?, error_message = ?, error_stack_trace = '' WHERE id = ? AND " + ABANDON.guardById(),
				DependencyFailedException.class.getName(), message, child) == 1;
	}

	/**
	 * @param parents the parents, in the order given
	 * @param states their states; a missing or {@code null} one no longer exists
	 */
	private static Start decide(List<UUID> parents, Map<UUID, @Nullable TaskStatus> states) {
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

	private static String marks(int count) {
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
