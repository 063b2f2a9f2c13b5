package dev.backgroundtasks.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.JdbcStatsStore;
import dev.backgroundtasks.execution.MinuteStats;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.PeriodicJobs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Records this node's per-minute statistics for the dashboard: as an observer it counts, in memory, the
 * outcome of every attempt that ends here, the attempts lost with their node that this node ends, and
 * the pickup latency of every attempt (from ready to started, by the database clock, as the
 * {@code background.tasks.pickup.latency} timer); every flush interval it adds the counts to its rows of
 * {@code bgt_stats_minute}, and once more when it stops. Every minute it deletes the rows of all nodes
 * past their retention. Counting costs a few uncontended additions per attempt; the database sees one
 * batch per flush interval, one row per task and minute with counts.
 */
public class StatisticsRecorder implements ExecutionObserver, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StatisticsRecorder.class);

	private static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);

	private final JdbcStatsStore store;

	private final String node;

	private final Duration flushInterval;

	private final Duration retention;

	private final Clock clock;

	private final MinuteCounters counters;

	private final PeriodicJobs jobs = new PeriodicJobs("bgt-stats-",
			(ex) -> logger.warn("Could not write or expire background task statistics", ex));

	/**
	 * @param store where the statistics are written
	 * @param node this node's name
	 * @param flushInterval how often counts are written
	 * @param retention how long rows are kept
	 */
	public StatisticsRecorder(JdbcStatsStore store, String node, Duration flushInterval, Duration retention) {
		this(store, node, flushInterval, retention, Clock.systemUTC());
	}

	StatisticsRecorder(JdbcStatsStore store, String node, Duration flushInterval, Duration retention, Clock clock) {
		this.store = store;
		this.node = node;
		this.flushInterval = flushInterval;
		this.retention = retention;
		this.clock = clock;
		this.counters = new MinuteCounters(clock);
	}

	@Override
	public AttemptObservation attemptStarted(ClaimedExecution claim) {
		String task = claim.task();
		Instant readyAt = claim.readyAt();
		Instant startedAt = claim.startedAt();
		if (readyAt != null && startedAt != null) {
			this.counters.pickup(task, readyAt, startedAt);
		}
		return (outcome, failure) -> this.counters.ended(task, outcome);
	}

	@Override
	public void recovered(String task, TaskStatus status) {
		this.counters.recovered(task, status);
	}

	/**
	 * Writes what was counted since the last flush, after measuring the database clock against this
	 * node's. What cannot be written is counted again, to be written by the next flush (unless past its
	 * retention by then).
	 */
	public synchronized void flush() {
		long before = this.clock.millis();
		Instant databaseNow = this.store.databaseTime();
		long after = this.clock.millis();
		this.counters.databaseClock(databaseNow, before + (after - before) / 2);
		List<MinuteStats> stats = this.counters.drain();
		try {
			this.store.add(this.node, stats);
		}
		catch (RuntimeException ex) {
			this.counters.restore(stats, databaseNow.minus(this.retention));
			throw ex;
		}
	}

	/**
	 * Deletes the rows of every node past their retention.
	 * @return how many were deleted
	 */
	public int expire() {
		return this.store.deleteOlderThan(this.retention);
	}

	@Override
	public void start() {
		this.jobs.start();
		// The first flush at once: it measures the database clock, by which minutes are told.
		this.jobs.every(Duration.ZERO, this.flushInterval, this::flush);
		this.jobs.every(EXPIRY_INTERVAL, EXPIRY_INTERVAL, this::expire);
	}

	@Override
	public void stop() {
		this.jobs.stop();
		try {
			flush();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not write the last background task statistics of node " + this.node, ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.jobs.isRunning();
	}

	@Override
	public int getPhase() {
		// Stops after the worker, the completion batcher and the supervisor: the last attempts are counted.
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

}
