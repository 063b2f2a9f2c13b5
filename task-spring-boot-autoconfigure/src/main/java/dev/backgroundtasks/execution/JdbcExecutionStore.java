package dev.backgroundtasks.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionTransitions.Transition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionOperations;

import static dev.backgroundtasks.execution.ExecutionStatements.CLAIM;
import static dev.backgroundtasks.execution.ExecutionStatements.CLAIMED_COLUMNS;
import static dev.backgroundtasks.execution.ExecutionStatements.CLAIM_SET;
import static dev.backgroundtasks.execution.ExecutionStatements.FENCE;
import static dev.backgroundtasks.execution.ExecutionStatements.SUCCEED;
import static dev.backgroundtasks.execution.ExecutionStatements.SUCCEED_SET;

/**
 * The {@link ExecutionStore} on plain JDBC: the hot path (insert, claim, outcome, heartbeat) stays a
 * handful of short statements. Through {@link JdbcTemplate} every statement joins the caller's Spring
 * transaction when there is one. The batch claim differs per database and comes from a
 * {@link DatabaseDialect}; tasks with a concurrency limit are claimed under a per-task row lock. Ends
 * of attempts other than success, which must see a cancel request and may keep a past attempt, are
 * {@link AttemptEnds}.
 */
public class JdbcExecutionStore implements ExecutionStore {

	private static final Log logger = LogFactory.getLog(JdbcExecutionStore.class);

	private static final Transition STOP = ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.CANCELLED);

	private static final Transition CANCEL = ExecutionTransitions.of(TaskStatus.READY, TaskStatus.CANCELLED);

	private static final Transition CANCEL_WAITING = ExecutionTransitions.of(TaskStatus.WAITING, TaskStatus.CANCELLED);

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	private final ExecutionInserts inserts;

	private final LimitedTaskClaims limitedClaims;

	private final LeaseRecovery leaseRecovery;

	private final AttemptEnds attemptEnds;

	private final RetentionDeletes retention;

	private final DependencyReleases dependencies;

	private final DependencyRows dependencyRows;

	private final BatchRows batchRows;

	private final BatchCompletions batches;

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions the application's transactions, which a batch submit joins when the caller has
	 * one
	 * @param ownTransactions transactions the worker starts for itself (claims of limited tasks, ends of
	 * attempts, lease recovery, retention), never inside another: plain JDBC ones need no ORM session
	 * @param limitedTasksKnown whether this node knows a task with a concurrency limit, asked per claim:
	 * while it knows none, claims look for limited executions (stored under other nodes' settings) once a
	 * second only, instead of with a statement of their own on every claim
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions,
			TransactionOperations ownTransactions, BooleanSupplier limitedTasksKnown) {
		this(jdbc, dialect, transactions, ownTransactions, limitedTasksKnown, BatchCallbackListener.NONE);
	}

	/**
	 * @param jdbc the template, on the application's data source
	 * @param dialect the database's own statements
	 * @param transactions the application's transactions, which a batch submit joins when the caller has
	 * one
	 * @param ownTransactions transactions the worker starts for itself
	 * @param limitedTasksKnown whether this node knows a task with a concurrency limit, asked per claim
	 * @param batchCallbacks told about every batch callback this store stores when a member's end finishes
	 * its batch
	 * @see #JdbcExecutionStore(JdbcTemplate, DatabaseDialect, TransactionOperations, TransactionOperations,
	 * BooleanSupplier)
	 */
	public JdbcExecutionStore(JdbcTemplate jdbc, DatabaseDialect dialect, TransactionOperations transactions,
			TransactionOperations ownTransactions, BooleanSupplier limitedTasksKnown,
			BatchCallbackListener batchCallbacks) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.dependencyRows = new DependencyRows(jdbc);
		this.dependencies = new DependencyReleases(jdbc, this.dependencyRows, ownTransactions);
		this.inserts = new ExecutionInserts(jdbc, dialect, transactions, this.dependencyRows, this.dependencies);
		this.limitedClaims = new LimitedTaskClaims(jdbc, ownTransactions, limitedTasksKnown,
				(dialect.kind() == DatabaseKind.POSTGRESQL) ? DuePartitions.SKIP_SCAN : DuePartitions.GROUPED);
		this.attemptEnds = new AttemptEnds(jdbc, ownTransactions);
		this.batches = new BatchCompletions(jdbc, ownTransactions, batchCallbacks);
		this.batchRows = new BatchRows(jdbc, dialect, transactions);
		this.leaseRecovery = new LeaseRecovery(jdbc, ownTransactions, this.batches);
		this.retention = new RetentionDeletes(jdbc, ownTransactions, this.dependencyRows);
	}

	@Override
	public UUID insert(NewExecution execution) {
		return this.inserts.insert(execution);
	}

	@Override
	public boolean insertScheduled(NewExecution execution) {
		return this.inserts.insertScheduled(execution);
	}

	@Override
	public ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease) {
		return this.inserts.insertClaimed(execution, node, lease);
	}

	@Override
	public void insertAll(List<NewExecution> executions) {
		this.inserts.insertAll(executions);
	}

	@Override
	public void insertBatch(NewBatch batch, List<NewExecution> members) {
		this.batchRows.insert(batch, members);
	}

	@Override
	public @Nullable BatchState batch(UUID id) {
		return this.batchRows.find(id);
	}

	@Override
	public List<ClaimedExecution> claim(String node, int limit, Duration lease, @Nullable Collection<String> tasks) {
		if (limit <= 0 || (tasks != null && tasks.isEmpty())) {
			return List.of();
		}
		List<ClaimedExecution> claimed = new ArrayList<>(this.limitedClaims.claim(node, limit, lease, tasks));
		if (claimed.size() < limit) {
			claimed.addAll(this.dialect.claim(this.jdbc, node, limit - claimed.size(), lease, tasks));
		}
		return claimed;
	}

	@Override
	public @Nullable ClaimedExecution claim(UUID id, String node, Duration lease) {
		if (this.jdbc.update("UPDATE bgt_execution SET " + CLAIM_SET + " WHERE id = ? AND " + CLAIM.guardById()
				+ " AND max_concurrency = 0", node, lease.toMillis(), id) == 0) {
			// A limited execution starts only when its task's (or partition's) limits allow it.
			return this.limitedClaims.claim(id, node, lease);
		}
		return this.jdbc.queryForObject("SELECT " + CLAIMED_COLUMNS + " FROM bgt_execution WHERE id = ?", ExecutionStatements.claimed(node),
				id);
	}

	@Override
	public @Nullable Duration untilRateAllows() {
		return this.limitedClaims.untilRateAllows();
	}

	@Override
	public boolean complete(ClaimedExecution claim, @Nullable String result) {
		return ended(claim, this.jdbc.update("UPDATE bgt_execution SET " + SUCCEED_SET + ", result = ?" + FENCE,
				ExecutionStatements.fenced(claim, result)) == 1 || !completedBefore(List.of(claim)).isEmpty());
	}

	/**
	 * After a write that may have ended an execution (when it did): releases the executions waiting for it,
	 * and ends its batch when it was the batch's last unfinished member.
	 * @return whether it was written, as given
	 */
	private boolean ended(ClaimedExecution claim, boolean written) {
		if (written) {
			ended(claim);
		}
		return written;
	}

	/**
	 * @return the state, as given
	 * @see #ended(ClaimedExecution, boolean)
	 */
	private @Nullable TaskStatus ended(ClaimedExecution claim, @Nullable TaskStatus status) {
		if (status != null && status.isTerminal()) {
			ended(claim);
		}
		return status;
	}

	private void ended(ClaimedExecution claim) {
		this.dependencies.finished(List.of(claim.id()));
		if (claim.batchId() != null) {
			this.batches.membersEnded(List.of(claim.batchId()));
		}
	}

	@Override
	public Set<UUID> completeAll(List<Completion> completions) {
		if (completions.isEmpty()) {
			return Set.of();
		}
		Set<UUID> written = this.dialect.completeAll(this.jdbc, completions);
		Set<UUID> all = written;
		if (written.size() != completions.size()) {
			List<ClaimedExecution> unwritten = completions.stream()
				.map(Completion::claim)
				.filter((claim) -> !written.contains(claim.id()))
				.toList();
			all = new HashSet<>(written);
			all.addAll(completedBefore(unwritten));
		}
		this.dependencies.finished(all);
		Set<UUID> batchIds = null;
		for (Completion completion : completions) {
			UUID batchId = completion.claim().batchId();
			if (batchId != null && all.contains(completion.claim().id())) {
				batchIds = (batchIds != null) ? batchIds : new HashSet<>();
				batchIds.add(batchId);
			}
		}
		if (batchIds != null) {
			this.batches.membersEnded(batchIds);
		}
		return all;
	}

	/**
	 * @return the ids of the claims whose success the claim itself already wrote: a write tried again after
	 * its commit succeeded but its reply was lost
	 */
	private Set<UUID> completedBefore(List<ClaimedExecution> claims) {
		Set<UUID> completed = new HashSet<>();
		for (int from = 0; from < claims.size(); from += MAX_IDS_PER_STATEMENT) {
			List<ClaimedExecution> chunk = claims.subList(from, Math.min(claims.size(), from + MAX_IDS_PER_STATEMENT));
			Map<UUID, ClaimedExecution> byId = new HashMap<>();
			chunk.forEach((claim) -> byId.put(claim.id(), claim));
			this.jdbc.query("SELECT id, node, claim_token FROM bgt_execution WHERE id IN ("
					+ String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") AND status = '"
					+ TaskStatus.SUCCESSFUL.name() + "'", (RowCallbackHandler) (rs) -> {
						ClaimedExecution claim = byId.get(rs.getObject(1, UUID.class));
						if (claim != null && claim.node().equals(rs.getString(2)) && claim.claimToken() == rs.getLong(3)) {
							completed.add(claim.id());
						}
					}, byId.keySet().toArray());
		}
		return completed;
	}

	@Override
	public @Nullable TaskStatus fail(ClaimedExecution claim, ExecutionError error) {
		return ended(claim, this.attemptEnds.fail(claim, error));
	}

	@Override
	public @Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		return ended(claim, this.attemptEnds.retry(claim, error, delay));
	}

	@Override
	public @Nullable TaskStatus snooze(ClaimedExecution claim, Duration delay) {
		return ended(claim, this.attemptEnds.snooze(claim, delay));
	}

	@Override
	public @Nullable TaskStatus handBackUnbound(ClaimedExecution claim, ExecutionError error, Duration delay,
			Duration grace) {
		return ended(claim, this.attemptEnds.handBackUnbound(claim, error, delay, grace));
	}

	@Override
	public boolean cancelled(ClaimedExecution claim) {
		return ended(claim, this.attemptEnds.cancelled(claim));
	}

	@Override
	public @Nullable TaskStatus handBack(ClaimedExecution claim) {
		return ended(claim, this.attemptEnds.handBack(claim, true));
	}

	@Override
	public @Nullable TaskStatus handBackUnstarted(ClaimedExecution claim) {
		return ended(claim, this.attemptEnds.handBack(claim, false));
	}

	@Override
	public boolean cancel(UUID id, @Nullable String by) {
		if (!cancel(CANCEL, id, by) && !cancel(CANCEL_WAITING, id, by)) {
			return false;
		}
		this.dependencies.finished(List.of(id));
		List<UUID> batch = this.jdbc.queryForList("SELECT batch_id FROM bgt_execution WHERE id = ? AND batch_id IS NOT"
				+ " NULL", UUID.class, id);
		this.batches.membersEnded(batch);
		return true;
	}

	private boolean cancel(Transition transition, UUID id, @Nullable String by) {
		return this.jdbc.update("UPDATE bgt_execution SET " + transition.set() + ", finished_at = CURRENT_TIMESTAMP,"
				+ " cancelled_by = ? WHERE id = ? AND " + transition.guardById(), by, id) == 1;
	}

	@Override
	public boolean requestCancel(UUID id, @Nullable String by) {
		return this.jdbc.update("UPDATE bgt_execution SET cancel_requested = TRUE, cancelled_by = ? WHERE id = ? AND "
				+ STOP.guardById(), by, id) == 1;
	}

	@Override
	public Set<UUID> extendLeases(String node, Collection<UUID> ids, Duration lease) {
		Set<UUID> extended = new HashSet<>();
		List<UUID> all = List.copyOf(ids);
		for (int from = 0; from < all.size(); from += MAX_IDS_PER_STATEMENT) {
			List<UUID> chunk = all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_STATEMENT));
			extended.addAll(this.dialect.extendLeases(this.jdbc, node, chunk, lease));
		}
		return extended;
	}

	@Override
	public Set<UUID> cancelRequested(String node) {
		return new HashSet<>(this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE node = ? AND "
				+ SUCCEED.guard() + " AND cancel_requested", UUID.class, node));
	}

	@Override
	public List<RecoveredExecution> recoverExpiredLeases() {
		List<RecoveredExecution> recovered = this.leaseRecovery.recover();
		this.dependencies.finished(recovered.stream()
			.filter((execution) -> execution.status().isTerminal())
			.map(RecoveredExecution::id)
			.toList());
		// The backstop, on the same beat: releases what a node that stopped, or did not know, missed.
		try {
			this.dependencies.sweep();
		}
		catch (RuntimeException ex) {
			// The recovery committed: its executions are reported; the next beat sweeps again.
			logger.warn("Could not sweep the executions waiting for others; the next heartbeat tries again", ex);
		}
		this.batches.sweep();
		return recovered;
	}

	@Override
	public List<UUID> dependents(UUID id) {
		return this.dependencyRows.dependents(id);
	}

	@Override
	public void onReleased(Consumer<List<ReleasedExecution>> listener) {
		this.dependencies.onReleased(listener);
	}

	@Override
	public int deleteFinished(TaskStatus status, Duration age, int limit) {
		return this.retention.delete(status, age, limit);
	}

	@Override
	public @Nullable TaskStatus status(UUID id) {
		List<String> found = this.jdbc.queryForList("SELECT status FROM bgt_execution WHERE id = ?", String.class, id);
		return found.isEmpty() ? null : TaskStatus.valueOf(found.get(0));
	}

	@Override
	public long countReady() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE " + CLAIM.guard(), Long.class);
		return (count != null) ? count : 0;
	}


}
