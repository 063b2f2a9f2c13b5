package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.support.EngineThreads;
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
 * <p>
 * A node that runs a worker also records the names of the tasks it can run, so that any node can tell
 * which executions no live node can claim. That list can be long: it is written when the node's row is
 * created (also when another node forgot it and it comes back) and when it changed, not at every beat.
 * The heartbeat's job is registered with the {@link EngineThreads}: if it ever ends, health turns
 * {@code DOWN}.
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

	private final Supplier<@Nullable Collection<String>> tasks;

	private final EngineThreads engineThreads;

	private volatile @Nullable ScheduledExecutorService scheduler;

	private volatile EngineThreads.@Nullable Registration registration;

	/**
	 * The tasks as last written, or {@code null} with {@link #tasksWritten} false before the first write.
	 */
	private @Nullable String writtenTasks;

	private boolean tasksWritten;

	/**
	 * @param store the node store
	 * @param supervisor gives this node's name and how many attempts run on it
	 * @param interval how often to heartbeat
	 */
	public NodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor, Duration interval) {
		this(store, supervisor, interval, 0, () -> null, () -> null, new EngineThreads());
	}

	/**
	 * @param store the node store
	 * @param supervisor gives this node's name and how many attempts run on it
	 * @param interval how often to heartbeat
	 * @param threads how many worker threads this node runs
	 * @param roles what this node does, comma-separated; asked at each heartbeat
	 * @param tasks the names of the tasks this node's worker can run (every registered task, enabled or
	 * not), or {@code null} when it runs no worker; asked at each heartbeat, written when changed
	 * @param engineThreads where the heartbeat's job is registered while it runs
	 */
	public NodeHeartbeat(JdbcNodeStore store, AttemptSupervisor supervisor, Duration interval, int threads,
			Supplier<@Nullable String> roles, Supplier<@Nullable Collection<String>> tasks,
			EngineThreads engineThreads) {
		this.store = store;
		this.supervisor = supervisor;
		this.interval = interval;
		this.threads = threads;
		this.roles = roles;
		this.tasks = tasks;
		this.engineThreads = engineThreads;
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
	public synchronized void beat() {
		String tasks = joined(this.tasks.get());
		boolean changed = !this.tasksWritten || !Objects.equals(tasks, this.writtenTasks);
		this.store.heartbeat(this.supervisor.node(), this.supervisor.runningCount(), this.threads, this.roles.get(),
				tasks, changed);
		this.writtenTasks = tasks;
		this.tasksWritten = true;
		this.store.forgetSilentFor(forgetAfter());
	}

	private static @Nullable String joined(@Nullable Collection<String> tasks) {
		// Sorted, so that the same tasks always give the same text; task names hold no commas.
		return (tasks != null) ? String.join(",", new TreeSet<>(tasks)) : null;
	}

	private void guardedBeat() {
		try {
			beat();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the heartbeat of node " + this.supervisor.node() + ": " + ex);
		}
		catch (Error ex) {
			// Thrown out of a scheduled job, it would end the heartbeat for good, and silently.
			logger.error("The heartbeat of node " + this.supervisor.node() + " failed; trying again in "
					+ this.interval, ex);
		}
	}

	@Override
	public void start() {
		synchronized (this) {
			// The row may be gone or hold another run's tasks: write them again.
			this.tasksWritten = false;
		}
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-node-"));
		ScheduledFuture<?> beating = executor.scheduleWithFixedDelay(this::guardedBeat, 0, this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.registration = this.engineThreads.register("bgt-node heartbeat", () -> !beating.isDone());
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		EngineThreads.Registration registered = this.registration;
		this.registration = null;
		if (registered != null) {
			registered.remove();
		}
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
