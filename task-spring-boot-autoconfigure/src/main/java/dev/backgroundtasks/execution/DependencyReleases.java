package dev.backgroundtasks.execution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.DependencyRows.Start;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Releases of executions that wait for others ({@link DependencyRows}): moves {@code WAITING} executions
 * once their parents are terminal, to {@code READY} when all succeeded, to {@code CANCELLED} (a
 * {@link dev.backgroundtasks.DependencyFailedException} error naming the parent) when one failed, was
 * cancelled or no longer exists; a cancellation releases the children of the cancelled execution in turn,
 * down the chain.
 * <p>
 * A release reads the parents' states after their writes committed, in a transaction of its own, and moves
 * each child with a statement guarded on {@code WAITING}: terminal states never change, so what it read
 * still holds, and two nodes releasing the same child move it once. Every writer of a terminal state runs
 * a release after its commit, and every insert of a waiting child runs one for that child after its
 * commit, so whichever commits last sees the other: two parents finishing at once on two nodes, or a
 * parent finishing while its child is inserted, never leave the child waiting. While no execution waits
 * (looked up at most every 250 ms, {@link #known}), a terminal write runs no statement at all; a child is
 * checked again shortly after its insert (for the nodes that had not looked since), and the
 * {@link #sweep} on every heartbeat releases what was missed (a node stopped between a parent's commit and
 * its release, or had not seen yet that another node stored a waiting child).
 */
final class DependencyReleases {

	private static final Transition RELEASE = ExecutionTransitions.of(TaskStatus.WAITING, TaskStatus.READY);

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

	private static final long PROBE_MILLIS = 250;

	private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);

	/**
	 * When a waiting child is checked a second time after its insert: by then every node that skipped a
	 * release, having looked for waiting executions before the child was stored, has looked again.
	 */
	private static final long RECHECK_MILLIS = 2 * PROBE_MILLIS + 100;

	private static final Log logger = LogFactory.getLog(DependencyReleases.class);

	private final JdbcTemplate jdbc;

	private final DependencyRows rows;

	private final TransactionOperations transactions;

	/** Whether a waiting execution existed when last looked, or this node stored one since. */
	private volatile boolean known;

	/** When {@link #known} was last read from the database. */
	private volatile long probedAt = System.nanoTime() - PROBE_NANOS;

	private volatile Consumer<List<ReleasedExecution>> listener = (released) -> {
	};

	/**
	 * @param jdbc the template
	 * @param rows the dependency rows
	 * @param transactions transactions of the engine's own; releases run in new ones, after the commit of
	 * the write that calls them
	 */
	DependencyReleases(JdbcTemplate jdbc, DependencyRows rows, TransactionOperations transactions) {
		this.jdbc = jdbc;
		this.rows = rows;
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
	 * Checks a child stored {@code WAITING} again once its insert commits: a parent may have finished
	 * between the check and the commit, without seeing the child.
	 */
	void inserted(UUID child) {
		this.known = true;
		afterCommit(() -> {
			run(() -> release(WAITING_CHILDREN + "c.id = ?", new Object[] { child }));
			recheckLater(child);
		});
	}

	/**
	 * Checks a waiting child once more, {@link #RECHECK_MILLIS} after its insert committed. A node that last
	 * looked for waiting executions just before the child was stored skips releases until its next look
	 * (at most {@link #PROBE_MILLIS} later): a parent that ended there meanwhile released nothing. Without
	 * this second check the child would wait for the next heartbeat's sweep.
	 */
	private void recheckLater(UUID child) {
		CompletableFuture.delayedExecutor(RECHECK_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
			try {
				run(() -> release(WAITING_CHILDREN + "c.id = ?", new Object[] { child }));
			}
			catch (RuntimeException ex) {
				// The application may be stopping; the heartbeat's sweep releases it otherwise.
				logger.debug("Could not check a waiting execution again; the sweep will", ex);
			}
		});
	}

	/**
	 * Releases the waiting children of executions that just reached a terminal state, after the write
	 * commits: one statement for all of them. While no execution waits, none at all, but for one indexed
	 * look a second that tells whether some do (stored by any node).
	 * @param parents the executions
	 */
	void finished(Collection<UUID> parents) {
		if (parents.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		if (now - this.probedAt > PROBE_NANOS) {
			this.probedAt = now;
			try {
				this.known = anyWaiting();
			}
			catch (RuntimeException ex) {
				// The write committed: never fail it; release as if some waited.
				this.known = true;
			}
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
			released.addAll(run(() -> release(WAITING_CHILDREN + "c.id IN (" + DependencyRows.marks(chunk.size()) + ")",
					chunk.toArray())));
		}
		return released;
	}

	private boolean anyWaiting() {
		return !this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE " + RELEASE.guard()
				+ " FETCH FIRST 1 ROWS ONLY", UUID.class).isEmpty();
	}

	private void afterCommit(Runnable release) {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					safely(release);
				}

			});
		}
		else {
			safely(release);
		}
	}

	/**
	 * Runs a release; one that fails (a lost connection, a deadlock victim) is left to the sweep: the write
	 * that called it committed already, and must not be reported as failed.
	 */
	private static void safely(Runnable release) {
		try {
			release.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release the executions waiting for others now; the next sweep (on the heartbeat)"
					+ " releases them", ex);
		}
	}

	private List<ReleasedExecution> releaseChildrenOf(List<UUID> parents) {
		List<ReleasedExecution> released = new ArrayList<>();
		for (int from = 0; from < parents.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = parents.subList(from, Math.min(parents.size(), from + MAX_IDS_PER_STATEMENT));
			released.addAll(run(() -> release(WAITING_CHILDREN + "c.id IN (SELECT execution_id FROM"
					+ " bgt_execution_dependency WHERE parent_id IN (" + DependencyRows.marks(chunk.size()) + "))", chunk.toArray())));
		}
		return released;
	}

	/**
	 * Runs a release in a new transaction, then tells the listener what it moved.
	 */
	private List<ReleasedExecution> run(Supplier<List<ReleasedExecution>> release) {
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
		// In the order of the ids: two nodes releasing the same children lock them in the same order.
		new TreeMap<>(parents).forEach((child, states) -> {
			Start start = DependencyRows.decide(List.copyOf(states.keySet()), states);
			boolean moved = switch (start.status()) {
				case READY -> this.jdbc.update("UPDATE bgt_execution SET " + RELEASE.set() + ", run_at = CASE WHEN run_at"
						+ " < CURRENT_TIMESTAMP THEN CURRENT_TIMESTAMP ELSE run_at END WHERE id = ? AND "
						+ RELEASE.guardById(), child) == 1;
				case CANCELLED -> this.rows.abandon(child, start);
				default -> false;
			};
			if (moved) {
				released.add(new ReleasedExecution(child, tasks.get(child), start.status()));
			}
		});
		return released;
	}

}
