package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.backgroundtasks.execution.JdbcNodeStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Keeps this node's row in {@code bgt_node} current: on start and then every heartbeat interval it
 * records the heartbeat and how many executions run here, and forgets nodes silent for much longer
 * than that; on stop it removes its own row. A node counts as alive while its last heartbeat is within
 * {@link #LIVE_INTERVALS} intervals.
 */
public class NodeHeartbeat implements SmartLifecycle {

	/**
	 * How many heartbeat intervals a node may miss and still count as alive.
	 */
	public static final int LIVE_INTERVALS = 3;

	private static final Log logger = LogFactory.getLog(NodeHeartbeat.class);

	private static final Duration MIN_FORGET_AFTER = Duration.ofMinutes(10);

	private final JdbcNodeStore store;

	private final AttemptSupervisor supervisor;

	private final Duration interval;

	private final int threads;

	private final Supplier<@Nullable String> roles;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * @param store the node store
	 * @param supervisor gives this node's name and how many attempts run on it
	 * @param interval how often to heartbeat
	 */
	public NodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor, Duration interval) {
		this(store, supervisor, interval, 0, () -> null);
	}

	/**
	 * @param store the node store
	 * @param supervisor gives this node's name and how many attempts run on it
	 * @param interval how often to heartbeat
	 * @param threads how many worker threads this node runs
	 * @param roles what this node does, comma-separated; asked at each heartbeat
	 */
	public NodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor, Duration interval, int threads,
			Supplier<@Nullable String> roles) {
		this.store = store;
		this.supervisor = supervisor;
		this.interval = interval;
		this.threads = threads;
		this.roles = roles;
	}

	/**
	 * @return how recent a heartbeat must be for a node to count as alive
	 */
	public Duration liveWithin() {
		return this.interval.multipliedBy(LIVE_INTERVALS);
	}

	/**
	 * @return after how long without a heartbeat a node's row is deleted: 20 intervals, at least 10 minutes
	 */
	public Duration forgetAfter() {
		Duration twenty = this.interval.multipliedBy(20);
		return (twenty.compareTo(MIN_FORGET_AFTER) > 0) ? twenty : MIN_FORGET_AFTER;
	}

	/**
	 * Records one heartbeat of this node now.
	 */
	public void beat() {
		this.store.heartbeat(this.supervisor.node(), this.supervisor.runningCount(), this.threads, this.roles.get());
		this.store.forgetSilentFor(forgetAfter());
	}

	private void guardedBeat() {
		try {
			beat();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the heartbeat of node " + this.supervisor.node() + ": " + ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-node-"));
		executor.scheduleWithFixedDelay(this::guardedBeat, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor == null) {
			return;
		}
		// No interrupts: a thread interrupted inside a JDBC call can close an H2 database.
		executor.shutdown();
		try {
			executor.awaitTermination(this.interval.toMillis(), TimeUnit.MILLISECONDS);
			this.store.remove(this.supervisor.node());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not remove node " + this.supervisor.node() + " from bgt_node", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// Stops with the supervisor, after the worker: the row says how many run until they are done.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
