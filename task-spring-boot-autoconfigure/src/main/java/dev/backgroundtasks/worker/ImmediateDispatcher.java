package dev.backgroundtasks.worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

import dev.backgroundtasks.command.ExecutionDispatcher;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.support.AttemptOutcome;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher of {@code immediate} mode: runs the execution in the caller's thread, retrying a
 * failed attempt at once (no backoff) while the task's attempts last. A snoozed execution is left
 * {@code READY}, due after its delay. An execution dispatched while one runs in the same thread (the callback
 * of a batch, stored when the batch's last member ends) runs after it, not inside it.
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
		ClaimedExecution claim = this.store.claim(id, this.supervisor.node(), this.supervisor.lease());
		while (claim != null) {
			if (this.runner.run(claim) == AttemptOutcome.SNOOZED) {
				// It asked to run later: it stays READY, due then, for a worker in queue mode.
				return;
			}
			// A retry leaves it READY (due later); claiming by id ignores when it is due.
			claim = this.store.claim(id, this.supervisor.node(), this.supervisor.lease());
		}
	}

}
