package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.AttemptOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The dispatcher of {@code immediate} mode: runs the execution in the caller's thread, retrying a
 * failed attempt at once (no backoff) while the task's attempts last. A snoozed execution is left
 * {@code READY}, due after its delay. An execution of a task with a concurrency or rate limit starts only
 * when its task's (or partition's) limits allow it, cluster-wide: the caller's thread waits until they do
 * (for a rate limit, until the oldest start leaves the full window; for a concurrency limit, looking again
 * every {@value #CONCURRENCY_LOOK_MILLIS} ms), and is left {@code READY} if the thread is interrupted. A
 * {@code WAITING} execution does not run when submitted; it runs in the thread of the last execution it
 * waited for, once that one succeeded.
 * An execution dispatched while one runs in the same thread (the callback of a batch, stored when the
 * batch's last member ends, or a dependent released by its end) runs after it, not inside it.
 */
public final class ImmediateDispatcher implements ExecutionDispatcher {

	static final long CONCURRENCY_LOOK_MILLIS = 20;

	private final ExecutionRunner runner;

	private final ExecutionStore store;

	private final AttemptSupervisor supervisor;

	/**
	 * @param runner the runner
	 * @param store the store, to claim the execution for this node
	 * @param supervisor gives this node's name and lease
	 */
	public ImmediateDispatcher(ExecutionRunner runner, ExecutionStore store, AttemptSupervisor supervisor) {
		this.runner = runner;
		this.store = store;
		this.supervisor = supervisor;
	}

	/** The executions dispatched while this thread runs one, in order; {@code null} while it runs none. */
	private final ThreadLocal<@Nullable Deque<UUID>> pending = new ThreadLocal<>();

	@Override
	public void dispatch(UUID id) {
		Deque<UUID> queued = this.pending.get();
		if (queued != null) {
			queued.add(id);
			return;
		}
		queued = new ArrayDeque<>();
		this.pending.set(queued);
		try {
			for (UUID next = id; next != null; next = queued.poll()) {
				run(next);
			}
		}
		finally {
			this.pending.remove();
		}
	}

	private void run(UUID id) {
		// A WAITING execution is not claimed: it runs when the last execution it waits for ends here.
		ClaimedExecution claim = claimWhenAllowed(id);
		while (claim != null) {
			if (this.runner.run(claim) == AttemptOutcome.SNOOZED) {
				// It asked to run later: it stays READY, due then, for a worker in queue mode.
				return;
			}
			// A retry leaves it READY (due later); claiming by id ignores when it is due.
			claim = claimWhenAllowed(id);
		}
		// It ended: those waiting for it were released when its end committed, and run now, in this thread.
		List<UUID> dependents = this.store.dependents(id);
		if (!dependents.isEmpty()) {
			if (TransactionSynchronizationManager.isSynchronizationActive()) {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCommit() {
						dependents.forEach(ImmediateDispatcher.this::dispatch);
					}

				});
			}
			else {
				dependents.forEach(this::dispatch);
			}
		}
	}

	/**
	 * @return the claim, or {@code null} when the execution is no longer {@code READY} (or the thread was
	 * interrupted while its limits held it back)
	 */
	private @Nullable ClaimedExecution claimWhenAllowed(UUID id) {
		while (true) {
			ClaimedExecution claim = this.store.claim(id, this.supervisor.node(), this.supervisor.lease());
			if (claim != null || this.store.status(id) != TaskStatus.READY) {
				return claim;
			}
			Duration rate = this.store.untilRateAllows();
			// At most a second: the store tells the wait of its latest claim, which may be another caller's.
			long wait = (rate != null) ? Math.min(1000, Math.max(1, rate.toMillis())) : CONCURRENCY_LOOK_MILLIS;
			try {
				Thread.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

}
