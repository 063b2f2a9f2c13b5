package dev.backgroundtasks.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
import dev.backgroundtasks.execution.ReleasedExecution;
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

	private final Runnable readyReleased;

	/** Rows this node inserted whose READY event is not published yet. */
	private final Set<UUID> inserting = ConcurrentHashMap.newKeySet();

	/** Events of rows released while this node's insert of them was not published yet, by id. */
	private final Map<UUID, ExecutionStatusEvent> releasedWhileInserting = new ConcurrentHashMap<>();

	/**
	 * @param delegate the store that writes
	 * @param events the publisher
	 * @param taskNames finds the task of an execution, for cancellations by id
	 */
	public EventPublishingExecutionStore(ExecutionStore delegate, ExecutionEventPublisher events,
			Function<UUID, @Nullable String> taskNames) {
		this(delegate, events, taskNames, () -> {
		});
	}

	/**
	 * @param delegate the store that writes
	 * @param events the publisher
	 * @param taskNames finds the task of an execution, for cancellations by id
	 * @param readyReleased called when waiting executions became {@code READY} (committed): wakes the workers
	 */
	public EventPublishingExecutionStore(ExecutionStore delegate, ExecutionEventPublisher events,
			Function<UUID, @Nullable String> taskNames, Runnable readyReleased) {
		this.readyReleased = readyReleased;
		this.delegate = delegate;
		this.events = events;
		this.taskNames = taskNames;
		delegate.onReleased(this::released);
	}

	/**
	 * Publishes the moves of released executions (committed already). The event of a row whose insert
	 * event this node has not published yet follows that one.
	 */
	private void released(List<ReleasedExecution> released) {
		List<ExecutionStatusEvent> now = new ArrayList<>();
		for (ReleasedExecution execution : released) {
			ExecutionStatusEvent event = new ExecutionStatusEvent(execution.id(), execution.task(), execution.status(),
					0, null);
			if (!this.inserting.contains(execution.id())) {
				now.add(event);
				continue;
			}
			this.releasedWhileInserting.put(execution.id(), event);
			// The insert's event may have been published in between: then this one goes now.
			if (!this.inserting.contains(execution.id()) && this.releasedWhileInserting.remove(execution.id()) != null) {
				now.add(event);
			}
		}
		this.events.publishAll(now);
		if (released.stream().anyMatch((execution) -> execution.status() == TaskStatus.READY)) {
			this.readyReleased.run();
		}
	}

	@Override
	public List<UUID> dependents(UUID id) {
		return this.delegate.dependents(id);
	}

	@Override
	public void onReleased(Consumer<List<ReleasedExecution>> listener) {
		throw new UnsupportedOperationException("The releases of this store are published as events");
	}

	@Override
	public UUID insert(NewExecution execution) {
		if (execution.after().isEmpty()) {
			return insertThenPublishReady(List.of(execution), () -> this.delegate.insert(execution),
					(stored) -> stored.equals(execution.id()));
		}
		// Stored WAITING, or READY or CANCELLED at once when what it waits for decided it already.
		UUID id = execution.id();
		this.inserting.add(id);
		TaskStatus status;
		try {
			this.delegate.insert(execution);
			status = this.delegate.status(id);
		}
		catch (RuntimeException ex) {
			this.inserting.remove(id);
			throw ex;
		}
		ExecutionStatusEvent released = this.releasedWhileInserting.get(id);
		TaskStatus inserted = (released != null || status == null) ? TaskStatus.WAITING : status;
		publishReady(List.of(new ExecutionStatusEvent(id, execution.task(), inserted, 0, null)), List.of(id));
		return id;
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
					publishReleasedWhileInserting(ids);
				}

			});
		}
		else {
			this.events.publishAll(ready);
			this.inserting.removeAll(ids);
			publishReleasedWhileInserting(ids);
		}
	}

	private void publishReleasedWhileInserting(List<UUID> ids) {
		if (this.releasedWhileInserting.isEmpty()) {
			return;
		}
		for (UUID id : ids) {
			ExecutionStatusEvent released = this.releasedWhileInserting.remove(id);
			if (released != null) {
				this.events.publish(released);
			}
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
	public @Nullable Duration untilRateAllows() {
		return this.delegate.untilRateAllows();
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
		// A WAITING execution cancels too; those waiting for it follow (published as releases).
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
