package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.worker.RunningAttempt.StopReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Watches the attempts running on this node: extends their leases (the heartbeat), interrupts those
 * that time out or are cancelled from any node, recovers executions whose node stopped heartbeating
 * (any node does this), and hands the rest back when the node shuts down.
 */
public class AttemptSupervisor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(AttemptSupervisor.class);

	private final Map<UUID, RunningAttempt> running = new ConcurrentHashMap<>();

	private final Map<UUID, ScheduledFuture<?>> timeouts = new ConcurrentHashMap<>();

	private final ExecutionStore store;

	private final WorkSignal signal;

	private final String node;

	private final Duration lease;

	private final Duration heartbeatInterval;

	private final Duration cancelCheckInterval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * @param store the store
	 * @param signal wakes the local worker when recovered executions are ready again
	 * @param node this node's name
	 * @param lease how long a claim holds without a heartbeat
	 * @param heartbeatInterval how often leases are extended and expired ones recovered
	 * @param cancelCheckInterval how often cancel requests from other nodes are looked for
	 */
	public AttemptSupervisor(ExecutionStore store, WorkSignal signal, String node, Duration lease,
			Duration heartbeatInterval, Duration cancelCheckInterval) {
		this.store = store;
		this.signal = signal;
		this.node = node;
		this.lease = lease;
		this.heartbeatInterval = heartbeatInterval;
		this.cancelCheckInterval = cancelCheckInterval;
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

	RunningAttempt begin(ClaimedExecution claim, Duration timeout) {
		RunningAttempt attempt = new RunningAttempt(claim, Thread.currentThread());
		this.running.put(claim.id(), attempt);
		ScheduledExecutorService executor = this.scheduler;
		if (!timeout.isZero() && !timeout.isNegative() && executor != null) {
			this.timeouts.put(claim.id(), executor.schedule(() -> attempt.stop(StopReason.TIMEOUT),
					timeout.toMillis(), TimeUnit.MILLISECONDS));
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
			if (this.store.handBack(attempt.claim())) {
				handedBack++;
			}
		}
		return handedBack;
	}

	private void heartbeat() {
		if (!this.running.isEmpty()) {
			this.store.extendLeases(this.node, this.lease);
		}
		if (!this.store.recoverExpiredLeases().isEmpty()) {
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

	private Runnable guarded(String what, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Background tasks could not " + what + " on node " + this.node, ex);
			}
		};
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-supervisor-"));
		executor.scheduleWithFixedDelay(guarded("heartbeat", this::heartbeat), this.heartbeatInterval.toMillis(),
				this.heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
		executor.scheduleWithFixedDelay(guarded("check cancel requests", this::watchCancelRequests),
				this.cancelCheckInterval.toMillis(), this.cancelCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor != null) {
			// No interrupts: a thread interrupted inside a JDBC call can close an H2 database.
			executor.shutdown();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// Stops after the worker (which stops in the default phase), so leases hold while attempts finish.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
