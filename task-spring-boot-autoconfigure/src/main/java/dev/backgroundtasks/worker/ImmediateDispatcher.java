package dev.backgroundtasks.worker;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.AttemptOutcome;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The dispatcher of {@code immediate} mode: runs the execution in the caller's thread, retrying a
 * failed attempt at once (no backoff) while the task's attempts last. A snoozed execution is left
 * {@code READY}, due after its delay. A {@code WAITING} execution does not run when submitted; it runs in
 * the thread of the last execution it waited for, once that one succeeded.
 */
public final class ImmediateDispatcher implements ExecutionDispatcher {

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

	@Override
	public void dispatch(UUID id) {
		// A WAITING execution is not claimed: it runs when the last execution it waits for ends here.
		ClaimedExecution claim = this.store.claim(id, this.supervisor.node(), this.supervisor.lease());
		if (claim == null) {
			return;
		}
		while (claim != null) {
			if (this.runner.run(claim) == AttemptOutcome.SNOOZED) {
				// It asked to run later: it stays READY, due then, for a worker in queue mode.
				return;
			}
			// A retry leaves it READY (due later); claiming by id ignores when it is due.
			claim = this.store.claim(id, this.supervisor.node(), this.supervisor.lease());
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

}
