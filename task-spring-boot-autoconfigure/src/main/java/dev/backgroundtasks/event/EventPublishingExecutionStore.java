package dev.backgroundtasks.event;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.BatchCallbackListener;
import dev.backgroundtasks.execution.BatchState;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewBatch;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.execution.RecoveredExecution;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An {@link ExecutionStore} that publishes an {@link ExecutionStatusEvent} for every state change it
 * makes, after the change commits: every entry point (REST, {@code TaskClient}, worker, scheduler,
 * lease recovery) changes state through the store, so none is missed and none is published for a
 * write that did not happen. Requests to cancel a running execution are not state changes: the
 * {@code CANCELLED} event follows when its attempt stops.
 */
public class EventPublishingExecutionStore implements ExecutionStore {

	private static final long MAX_READY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final ExecutionStore delegate;

	private final ExecutionEventPublisher events;

	private final Function<UUID, @Nullable String> taskNames;

	/** Rows this node inserted whose READY event is not published yet. */
	private final Set<UUID> inserting = ConcurrentHashMap.newKeySet();

	/**
	 * @param delegate the store that writes
	 * @param events the publisher
	 * @param taskNames finds the task of an execution, for cancellations by id
	 */
	public EventPublishingExecutionStore(ExecutionStore delegate, ExecutionEventPublisher events,
			Function<UUID, @Nullable String> taskNames) {
		this.delegate = delegate;
		this.events = events;
		this.taskNames = taskNames;
	}

	@Override
	public UUID insert(NewExecution execution) {
		return insertThenPublishReady(List.of(execution), () -> this.delegate.insert(execution),
				(stored) -> stored.equals(execution.id()));
	}

	@Override
	public boolean insertScheduled(NewExecution execution) {
		return insertThenPublishReady(List.of(execution), () -> this.delegate.insertScheduled(execution),
				(stored) -> stored);
	}

	@Override
	public ClaimedExecution insertClaimed(NewExecution execution, String node, Duration lease) {
		ClaimedExecution claim = this.delegate.insertClaimed(execution, node, lease);
		this.events.publishAfterCommit(readyEvent(execution));
		changed(claim, TaskStatus.RUNNING, true);
		return claim;
	}

	@Override
	public void insertAll(List<NewExecution> executions) {
		insertThenPublishReady(executions, () -> {
			this.delegate.insertAll(executions);
			return executions;
		}, (stored) -> true);
	}

	@Override
	public void insertBatch(NewBatch batch, List<NewExecution> members) {
		insertThenPublishReady(members, () -> {
			this.delegate.insertBatch(batch, members);
			return members;
		}, (stored) -> true);
	}

	@Override
	public @Nullable BatchState batch(UUID id) {
		return this.delegate.batch(id);
	}

	/**
	 * @param events the publisher
	 * @return a listener for the delegate that publishes the READY event of each batch callback it stores
	 * when a member's end finishes a batch (a write no method of this store sees)
	 */
	public static BatchCallbackListener publishingReady(ExecutionEventPublisher events) {
		return (callback) -> events.publishAfterCommit(readyEvent(callback));
	}

	/**
	 * Inserts, then publishes the READY events of the rows when the insert stored them (not when a key
	 * found an active execution), keeping them in {@link #inserting} until they are published.
	 */
	private <T> T insertThenPublishReady(List<NewExecution> executions, Supplier<T> insert, Predicate<T> stored) {
		List<UUID> ids = executions.stream().map(NewExecution::id).toList();
		this.inserting.addAll(ids);
		T result;
		try {
			result = insert.get();
		}
		catch (RuntimeException ex) {
			this.inserting.removeAll(ids);
			throw ex;
		}
		if (stored.test(result)) {
			publishReady(executions.stream().map(EventPublishingExecutionStore::readyEvent).toList(), ids);
		}
		else {
			this.inserting.removeAll(ids);
		}
		return result;
	}

	/**
	 * Publishes the READY events of new rows once they commit, and only then lets this node's claims of
	 * those rows publish RUNNING: a worker woken by another submission can claim a row between its
	 * commit and the publication of its READY event, and its events must still come in order.
	 */
	private void publishReady(List<ExecutionStatusEvent> ready, List<UUID> ids) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					EventPublishingExecutionStore.this.events.publishAll(ready);
				}

				@Override
				public void afterCompletion(int status) {
					EventPublishingExecutionStore.this.inserting.removeAll(ids);
				}

			});
		}
		else {
			this.events.publishAll(ready);
			this.inserting.removeAll(ids);
		}
	}

	/**
	 * Waits until the READY event of a row this node inserted is published: microseconds, unless the
	 * inserting thread was descheduled right after its commit; at most a second.
	 */
	private void awaitReadyPublished(UUID id) {
		long deadline = System.nanoTime() + MAX_READY_WAIT_NANOS;
		for (int spins = 0; this.inserting.contains(id) && System.nanoTime() < deadline; spins++) {
			if (spins < 1000) {
				Thread.onSpinWait();
			}
			else {
				LockSupport.parkNanos(100_000);
			}
		}
	}

	private static ExecutionStatusEvent readyEvent(NewExecution execution) {
		return new ExecutionStatusEvent(execution.id(), execution.task(), TaskStatus.READY, 0, null);
	}

	@Override
	public List<ClaimedExecution> claim(String node, int limit, Duration lease, @Nullable Collection<String> tasks) {
		List<ClaimedExecution> claimed = this.delegate.claim(node, limit, lease, tasks);
		for (ClaimedExecution claim : claimed) {
			awaitReadyPublished(claim.id());
			changed(claim, TaskStatus.RUNNING, true);
		}
		return claimed;
	}

	@Override
	public @Nullable ClaimedExecution claim(UUID id, String node, Duration lease) {
		ClaimedExecution claim = this.delegate.claim(id, node, lease);
		if (claim != null) {
			changed(claim, TaskStatus.RUNNING, true);
		}
		return claim;
	}

	@Override
	public boolean complete(ClaimedExecution claim, @Nullable String result) {
		return changed(claim, TaskStatus.SUCCESSFUL, this.delegate.complete(claim, result));
	}

	@Override
	public Set<UUID> completeAll(List<Completion> completions) {
		Set<UUID> written = this.delegate.completeAll(completions);
		completions.forEach((completion) -> changed(completion.claim(), TaskStatus.SUCCESSFUL,
				written.contains(completion.claim().id())));
		return written;
	}

	@Override
	public @Nullable TaskStatus fail(ClaimedExecution claim, ExecutionError error) {
		TaskStatus status = this.delegate.fail(claim, error);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	@Override
	public @Nullable TaskStatus retry(ClaimedExecution claim, ExecutionError error, Duration delay) {
		TaskStatus status = this.delegate.retry(claim, error, delay);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	@Override
	public @Nullable TaskStatus snooze(ClaimedExecution claim, Duration delay) {
		TaskStatus status = this.delegate.snooze(claim, delay);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	@Override
	public @Nullable TaskStatus handBackUnbound(ClaimedExecution claim, ExecutionError error, Duration delay,
			Duration grace) {
		TaskStatus status = this.delegate.handBackUnbound(claim, error, delay, grace);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	@Override
	public boolean cancelled(ClaimedExecution claim) {
		return changed(claim, TaskStatus.CANCELLED, this.delegate.cancelled(claim));
	}

	@Override
	public @Nullable TaskStatus handBack(ClaimedExecution claim) {
		TaskStatus status = this.delegate.handBack(claim);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	@Override
	public @Nullable TaskStatus handBackUnstarted(ClaimedExecution claim) {
		TaskStatus status = this.delegate.handBackUnstarted(claim);
		if (status != null) {
			changed(claim, status, true);
		}
		return status;
	}

	private boolean changed(ClaimedExecution claim, TaskStatus status, boolean written) {
		if (written) {
			this.events.publishAfterCommit(
					new ExecutionStatusEvent(claim.id(), claim.task(), status, claim.attempt(), claim.node()));
		}
		return written;
	}

	@Override
	public boolean cancel(UUID id, @Nullable String by) {
		boolean cancelled = this.delegate.cancel(id, by);
		if (cancelled) {
			String task = this.taskNames.apply(id);
			if (task != null) {
				this.events.publishAfterCommit(new ExecutionStatusEvent(id, task, TaskStatus.CANCELLED, 0, null));
			}
		}
		return cancelled;
	}

	@Override
	public boolean requestCancel(UUID id, @Nullable String by) {
		return this.delegate.requestCancel(id, by);
	}

	@Override
	public Set<UUID> extendLeases(String node, Collection<UUID> ids, Duration lease) {
		return this.delegate.extendLeases(node, ids, lease);
	}

	@Override
	public Set<UUID> cancelRequested(String node) {
		return this.delegate.cancelRequested(node);
	}

	@Override
	public List<RecoveredExecution> recoverExpiredLeases() {
		List<RecoveredExecution> recovered = this.delegate.recoverExpiredLeases();
		recovered.forEach((execution) -> this.events.publishAfterCommit(new ExecutionStatusEvent(execution.id(),
				execution.task(), execution.status(), execution.attempt(), execution.node())));
		return recovered;
	}

	@Override
	public int deleteFinished(TaskStatus status, Duration age, int limit) {
		return this.delegate.deleteFinished(status, age, limit);
	}

	@Override
	public @Nullable TaskStatus status(UUID id) {
		return this.delegate.status(id);
	}

	@Override
	public long countReady() {
		return this.delegate.countReady();
	}

}
