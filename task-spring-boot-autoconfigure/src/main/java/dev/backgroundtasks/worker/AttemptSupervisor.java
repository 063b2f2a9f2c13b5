package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.RecoveredExecution;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.PeriodicJobs;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.worker.RunningAttempt.StopReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Watches the attempts running on this node: extends their leases (the heartbeat), interrupts those
 * that time out or are cancelled from any node, recovers executions whose node stopped heartbeating
 * (any node does this), and hands the rest back when the node shuts down.
 */
public class AttemptSupervisor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(AttemptSupervisor.class);

	private final Map<UUID, RunningAttempt> running = new ConcurrentHashMap<>();

	private final Set<UUID> held = ConcurrentHashMap.newKeySet();

	private final Map<UUID, ScheduledFuture<?>> timeouts = new ConcurrentHashMap<>();

	private final ExecutionStore store;

	private final WorkSignal signal;

	private final String node;

	private final Duration lease;

	private final Duration heartbeatInterval;

	private final Duration cancelCheckInterval;

	private final PeriodicJobs jobs;

	private final ExecutionObserver observer;

	/**
	 * @param store the store
	 * @param signal wakes the local worker when recovered executions are ready again
	 * @param node this node's name
	 * @param lease how long a claim holds without a heartbeat
	 * @param heartbeatInterval how often leases are extended and expired ones recovered
	 * @param cancelCheckInterval how often cancel requests from other nodes are looked for
	 * @param observer told of every execution this node recovers
	 */
	public AttemptSupervisor(ExecutionStore store, WorkSignal signal, String node, Duration lease,
			Duration heartbeatInterval, Duration cancelCheckInterval, ExecutionObserver observer) {
		this.store = store;
		this.observer = observer;
		this.signal = signal;
		this.node = node;
		this.lease = lease;
		this.heartbeatInterval = heartbeatInterval;
		this.cancelCheckInterval = cancelCheckInterval;
		this.jobs = new PeriodicJobs("bgt-supervisor-",
				(ex) -> logger.warn("Background tasks could not watch the attempts of node " + node, ex));
	}

	/**
	 * @return the lease every claim of this node takes
	 */
	public Duration lease() {
		return this.lease;
	}

	/**
	 * @return this node's name
	 */
	public String node() {
		return this.node;
	}

	/**
	 * Keeps the leases of claimed executions until {@link #release} (the heartbeat extends them), also
	 * while they wait in the local queue or while their outcome waits in a batch.
	 * @param claims the claims
	 */
	void hold(List<ClaimedExecution> claims) {
		claims.forEach((claim) -> this.held.add(claim.id()));
	}

	/**
	 * Stops extending the lease of an execution: its outcome was written, or could not be, in which case
	 * its lease expires and any node runs it again.
	 * @param id the execution id
	 */
	void release(UUID id) {
		this.held.remove(id);
	}

	RunningAttempt begin(ClaimedExecution claim, Duration timeout) {
		RunningAttempt attempt = new RunningAttempt(claim, Thread.currentThread());
		this.running.put(claim.id(), attempt);
		if (!timeout.isZero() && !timeout.isNegative()) {
			ScheduledFuture<?> stop = this.jobs.once(timeout, () -> attempt.stop(StopReason.TIMEOUT));
			if (stop != null) {
				this.timeouts.put(claim.id(), stop);
			}
		}
		return attempt;
	}

	void end(RunningAttempt attempt) {
		this.running.remove(attempt.claim().id(), attempt);
		ScheduledFuture<?> timeout = this.timeouts.remove(attempt.claim().id());
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

	/**
	 * @return how many attempts are running on this node
	 */
	public int runningCount() {
		return this.running.size();
	}

	/**
	 * Gives every attempt still running back to {@code READY}, without counting it, and interrupts it.
	 * @return how many were handed back
	 */
	int handBackAll() {
		int handedBack = 0;
		for (RunningAttempt attempt : List.copyOf(this.running.values())) {
			attempt.stop(StopReason.HAND_BACK);
			if (this.store.handBack(attempt.claim()) != null) {
				handedBack++;
			}
		}
		return handedBack;
	}

	private void heartbeat() {
		Set<UUID> ids = new HashSet<>(this.held);
		ids.addAll(this.running.keySet());
		if (!ids.isEmpty()) {
			this.store.extendLeases(this.node, ids, this.lease);
		}
		List<RecoveredExecution> recovered = this.store.recoverExpiredLeases();
		for (RecoveredExecution execution : recovered) {
			this.observer.recovered(execution.task(), execution.status());
		}
		if (!recovered.isEmpty()) {
			this.signal.wake();
		}
	}

	private void watchCancelRequests() {
		if (this.running.isEmpty()) {
			return;
		}
		for (UUID id : this.store.cancelRequested(this.node)) {
			RunningAttempt attempt = this.running.get(id);
			if (attempt != null) {
				attempt.stop(StopReason.CANCEL);
			}
		}
	}

	@Override
	public void start() {
		this.jobs.start();
		this.jobs.every(this.heartbeatInterval, this.heartbeatInterval, this::heartbeat);
		this.jobs.every(this.cancelCheckInterval, this.cancelCheckInterval, this::watchCancelRequests);
	}

	@Override
	public void stop() {
		this.jobs.stop();
	}

	@Override
	public boolean isRunning() {
		return this.jobs.isRunning();
	}

	@Override
	public int getPhase() {
		// Stops after the worker (which stops in the default phase), so leases hold while attempts finish.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
