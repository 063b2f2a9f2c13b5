package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.ArrayList;
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
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;

/**
 * Watches the executions this node holds. Two threads, so that neither waits for the other:
 * <ul>
 * <li>{@code bgt-leases}, the only one that uses the database: extends the leases of the held executions
 * (the heartbeat), recovers executions whose node stopped heartbeating (any node does this), and looks for
 * cancel requests made on any node. It uses a store of its own, on a connection outside the application's
 * pool when there is one, so it never queues behind tasks for a pooled connection.</li>
 * <li>{@code bgt-watchdog}, which never touches the database: interrupts attempts that time out, that were
 * cancelled, or whose lease this node could not extend in time (another node may run them once it
 * expires), and reports attempts that ignore the interrupt, giving up their leases after a grace.</li>
 * </ul>
 * Each held execution has a local lease deadline, in this JVM's monotonic clock: the time its claim or its
 * last successful extension was sent, plus the lease. It is never later than the lease the database
 * holds, so an attempt stops before any other node can recover it.
 */
public class AttemptSupervisor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(AttemptSupervisor.class);

	/**
	 * How long an attempt may go on after it was asked to stop before it is reported stuck.
	 */
	static final Duration STUCK_AFTER = Duration.ofSeconds(5);

	private static final Duration MAX_WATCH_INTERVAL = Duration.ofMillis(250);

	private final Map<UUID, RunningAttempt> running = new ConcurrentHashMap<>();

	private final Map<UUID, Held> held = new ConcurrentHashMap<>();

	private final Map<UUID, ScheduledFuture<?>> timeouts = new ConcurrentHashMap<>();

	private final ExecutionStore leaseStore;

	private final WorkSignal signal;

	private final String node;

	private final Duration lease;

	private final long leaseNanos;

	private final long marginNanos;

	private final Duration heartbeatInterval;

	private final Duration cancelCheckInterval;

	private final Duration stuckGrace;

	private final PeriodicJobs leaseJobs;

	private final PeriodicJobs watchdog;

	private final ExecutionObserver observer;

	private final Runnable onLeaseWorkFailure;

	private final Runnable onStop;

	/**
	 * @param store the store, also for the lease work
	 * @param signal wakes the local worker when recovered executions are ready again
	 * @param node this node's name
	 * @param lease how long a claim holds without a heartbeat
	 * @param heartbeatInterval how often leases are extended and expired ones recovered
	 * @param cancelCheckInterval how often cancel requests from other nodes are looked for
	 * @param observer told of every execution this node recovers
	 */
	public AttemptSupervisor(ExecutionStore store, WorkSignal signal, String node, Duration lease,
			Duration heartbeatInterval, Duration cancelCheckInterval, ExecutionObserver observer) {
		this(store, () -> {
		}, () -> {
		}, signal, node, lease, heartbeatInterval, cancelCheckInterval, Duration.ofMinutes(2), observer);
	}

	/**
	 * @param leaseStore the store the lease work uses (extensions, recovery, cancel requests): on a
	 * connection of its own where possible
	 * @param onLeaseWorkFailure called after lease work failed, e.g. to drop a broken connection of its own
	 * @param onStop called when the supervisor stops, e.g. to close the connection of its own
	 * @param signal wakes the local worker when recovered executions are ready again
	 * @param node this node's name
	 * @param lease how long a claim holds without a heartbeat
	 * @param heartbeatInterval how often leases are extended and expired ones recovered
	 * @param cancelCheckInterval how often cancel requests from other nodes are looked for
	 * @param stuckGrace how long an attempt that ignores being asked to stop keeps its lease
	 * @param observer told of every execution this node recovers
	 */
	public AttemptSupervisor(ExecutionStore leaseStore, Runnable onLeaseWorkFailure, Runnable onStop,
			WorkSignal signal, String node, Duration lease, Duration heartbeatInterval, Duration cancelCheckInterval,
			Duration stuckGrace, ExecutionObserver observer) {
		this.leaseStore = leaseStore;
		this.onStop = onStop;
		this.onLeaseWorkFailure = onLeaseWorkFailure;
		this.observer = observer;
		this.signal = signal;
		this.node = node;
		this.lease = lease;
		this.leaseNanos = lease.toNanos();
		// Stop a little before the deadline: interrupted attempts need a moment to end.
		this.marginNanos = Math.min(lease.toNanos() / 5, Duration.ofSeconds(5).toNanos());
		this.heartbeatInterval = heartbeatInterval;
		this.cancelCheckInterval = cancelCheckInterval;
		this.stuckGrace = stuckGrace;
		this.leaseJobs = new PeriodicJobs("bgt-leases-", (ex) -> {
			logger.warn("Background tasks could not extend, recover or check the leases of node " + node + ": " + ex
					+ ((ex.getCause() != null) ? " (" + NestedExceptionUtils.getMostSpecificCause(ex) + ")" : ""));
			this.onLeaseWorkFailure.run();
		});
		this.watchdog = new PeriodicJobs("bgt-watchdog-",
				(ex) -> logger.error("Background tasks could not watch the attempts of node " + node, ex));
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
	 * @param sentAt when the claim was sent ({@link System#nanoTime()}): their leases run from there at the
	 * latest
	 */
	void hold(List<ClaimedExecution> claims, long sentAt) {
		claims.forEach((claim) -> this.held.put(claim.id(), new Held(sentAt + this.leaseNanos)));
	}

	/**
	 * Stops extending the lease of an execution: its outcome was written, or could not be, in which case
	 * its lease expires and any node runs it again.
	 * @param id the execution id
	 */
	void release(UUID id) {
		this.held.remove(id);
	}

	/**
	 * @param id a held execution
	 * @return whether its lease still holds for long enough to start it: an execution that waited in the
	 * local queue while its lease could not be extended may be recovered by another node any time now
	 */
	private boolean mayStart(UUID id) {
		Held held = this.held.get(id);
		return held == null || held.deadline - this.marginNanos - System.nanoTime() > 0;
	}

	/**
	 * Waits for the next extension of a held execution's lease when {@link #mayStart} says no: its local
	 * deadline runs from when its claim was sent, which includes any wait for a pooled connection, so a
	 * claim that waited long arrives with little lease left although the database's lease is fresh. The
	 * heartbeat extends it if this node still holds it.
	 * @param id a held execution
	 * @return whether its lease holds for long enough to start it now
	 */
	boolean awaitStartable(UUID id) {
		if (mayStart(id)) {
			return true;
		}
		long asked = System.nanoTime();
		long until = asked + Math.min(this.heartbeatInterval.toNanos() * 2, this.leaseNanos / 2);
		while (System.nanoTime() - until < 0) {
			Held held = this.held.get(id);
			if (held == null) {
				return true;
			}
			if (held.deadline - this.leaseNanos - asked > 0) {
				// Extended after we asked.
				return mayStart(id);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return mayStart(id);
	}

	/**
	 * @param id a held execution
	 * @return whether cancelling it was asked (seen by the last look for cancel requests)
	 */
	boolean isCancelRequested(UUID id) {
		Held held = this.held.get(id);
		return held != null && held.cancelRequested;
	}

	RunningAttempt begin(ClaimedExecution claim, Duration timeout) {
		RunningAttempt attempt = new RunningAttempt(claim, Thread.currentThread());
		this.held.computeIfAbsent(claim.id(), (id) -> new Held(System.nanoTime() + this.leaseNanos));
		this.running.put(claim.id(), attempt);
		if (!timeout.isZero() && !timeout.isNegative()) {
			ScheduledFuture<?> stop = this.watchdog.once(timeout, () -> attempt.stop(StopReason.TIMEOUT));
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
		if (attempt.reportedStuck()) {
			logger.warn("Execution " + attempt.claim().id() + " of task '" + attempt.claim().task()
					+ "', reported stuck, ended after all");
		}
	}

	/**
	 * @return how many attempts are running on this node
	 */
	public int runningCount() {
		return this.running.size();
	}

	/**
	 * @return the attempts that were asked to stop (timeout, cancel, lost lease, shutdown) and still run
	 * {@link #STUCK_AFTER} later: their threads ignore interrupts
	 */
	public List<StuckAttempt> stuck() {
		List<StuckAttempt> stuck = new ArrayList<>();
		for (RunningAttempt attempt : this.running.values()) {
			if (attempt.reportedStuck()) {
				StopReason reason = attempt.stopReason();
				stuck.add(new StuckAttempt(attempt.claim().id(), attempt.claim().task(),
						(reason != null) ? reason.name() : "", Duration.ofNanos(System.nanoTime() - attempt.stoppedAt()),
						attempt.thread().getName()));
			}
		}
		return stuck;
	}

	/**
	 * Asks every running attempt to stop for a hand-back (the node shuts down): each is interrupted, and
	 * once its body returns, its runner gives it back to {@code READY} without counting it. An attempt is
	 * never given back while its thread still runs.
	 * @return how many were asked
	 */
	int stopAllForHandBack() {
		List<RunningAttempt> attempts = List.copyOf(this.running.values());
		attempts.forEach((attempt) -> attempt.stop(StopReason.HAND_BACK));
		return attempts.size();
	}

	private void heartbeat() {
		long sentAt = System.nanoTime();
		Set<UUID> ids = Set.copyOf(this.held.keySet());
		if (!ids.isEmpty()) {
			for (UUID id : this.leaseStore.extendLeases(this.node, ids, this.lease)) {
				Held held = this.held.get(id);
				if (held != null) {
					held.deadline = sentAt + this.leaseNanos;
				}
			}
		}
		List<RecoveredExecution> recovered = this.leaseStore.recoverExpiredLeases();
		for (RecoveredExecution execution : recovered) {
			this.observer.recovered(execution.task(), execution.status());
		}
		if (!recovered.isEmpty()) {
			this.signal.wake();
		}
	}

	private void watchCancelRequests() {
		if (this.held.isEmpty()) {
			return;
		}
		for (UUID id : this.leaseStore.cancelRequested(this.node)) {
			Held held = this.held.get(id);
			if (held != null) {
				// A prefetched execution that has not started ends CANCELLED when its turn comes.
				held.cancelRequested = true;
			}
			RunningAttempt attempt = this.running.get(id);
			if (attempt != null) {
				attempt.stop(StopReason.CANCEL);
			}
		}
	}

	/**
	 * Stops attempts whose lease could not be extended in time, and reports and finally lets go of those
	 * that ignore being stopped.
	 */
	private void watch() {
		long now = System.nanoTime();
		for (RunningAttempt attempt : this.running.values()) {
			UUID id = attempt.claim().id();
			Held held = this.held.get(id);
			if (held != null && held.deadline - this.marginNanos - now <= 0) {
				if (attempt.stop(StopReason.LEASE_LOST)) {
					logger.warn("Execution " + id + " of task '" + attempt.claim().task() + "' (attempt "
							+ attempt.claim().attempt() + "): node " + this.node + " could not extend its lease for "
							+ Duration.ofNanos(now - (held.deadline - this.leaseNanos)).toMillis()
							+ " ms; stopping it, as another node may run it once the lease expires");
				}
			}
			if (attempt.stopReason() == null || now - attempt.stoppedAt() < STUCK_AFTER.toNanos()) {
				continue;
			}
			if (attempt.markReportedStuck()) {
				IllegalStateException where = new IllegalStateException("Stack of the stuck attempt's thread");
				where.setStackTrace(attempt.thread().getStackTrace());
				logger.warn("Execution " + id + " of task '" + attempt.claim().task() + "' was asked to stop ("
						+ attempt.stopReason() + ") " + STUCK_AFTER.toSeconds() + " s ago and still runs in thread "
						+ attempt.thread().getName() + ": the task ignores interrupts. Its lease is given up after "
						+ "background-tasks.worker.stuck-grace=" + this.stuckGrace + ".", where);
			}
			if (held != null && now - attempt.stoppedAt() >= this.stuckGrace.toNanos()) {
				// No longer extended: once it expires any node recovers the execution, and whatever the
				// stuck thread writes later is fenced off.
				this.held.remove(id);
				logger.warn("Execution " + id + " of task '" + attempt.claim().task() + "' still runs "
						+ this.stuckGrace + " after it was asked to stop; node " + this.node
						+ " gives up its lease, and its thread stays busy until the task returns");
			}
		}
	}

	@Override
	public void start() {
		this.watchdog.start();
		this.leaseJobs.start();
		this.leaseJobs.every(this.heartbeatInterval, this.heartbeatInterval, this::heartbeat);
		this.leaseJobs.every(this.cancelCheckInterval, this.cancelCheckInterval, this::watchCancelRequests);
		Duration watchInterval = this.heartbeatInterval.dividedBy(4);
		if (watchInterval.compareTo(MAX_WATCH_INTERVAL) > 0) {
			watchInterval = MAX_WATCH_INTERVAL;
		}
		this.watchdog.every(watchInterval, watchInterval, this::watch);
	}

	@Override
	public void stop() {
		this.leaseJobs.stop();
		this.watchdog.stop();
		this.onStop.run();
	}

	@Override
	public boolean isRunning() {
		return this.leaseJobs.isRunning();
	}

	/**
	 * @return the names of the supervisor's threads that died (an {@code Error} they could not survive)
	 */
	public List<String> deadThreads() {
		List<String> dead = new ArrayList<>();
		if (this.leaseJobs.isDead()) {
			dead.add("bgt-leases");
		}
		if (this.watchdog.isDead()) {
			dead.add("bgt-watchdog");
		}
		return dead;
	}

	@Override
	public int getPhase() {
		// Stops after the worker (which stops in the default phase), so leases hold while attempts finish.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * An execution this node holds, and its local lease deadline.
	 */
	private static final class Held {

		volatile long deadline;

		volatile boolean cancelRequested;

		Held(long deadline) {
			this.deadline = deadline;
		}

	}

	/**
	 * An attempt that was asked to stop and still runs.
	 *
	 * @param id the execution id
	 * @param task the task name
	 * @param reason why it was asked to stop
	 * @param since how long ago
	 * @param thread the name of its thread
	 */
	public record StuckAttempt(UUID id, String task, String reason, Duration since, String thread) {
	}

}
