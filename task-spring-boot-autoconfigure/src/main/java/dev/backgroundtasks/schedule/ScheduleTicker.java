package dev.backgroundtasks.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.execution.PartitionKeys;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.RateLimit;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One round of the scheduler of a node: reads the database time and the disabled tasks, then stores
 * one execution per due fire time of every schedule. Every node runs the same rounds; the unique
 * (task, schedule id, fire time) key keeps one execution per fire time across them.
 * <p>
 * Per schedule it keeps a cursor, the latest fire time it has dealt with. When a node first sees a
 * schedule the cursor is the latest fire time stored for it (or now, for a new schedule); fire times
 * between it and now were missed while no node of this version ran, so they are a misfire: one
 * catch-up for the latest of them, or none with {@link Misfire#SKIP}. After that every due fire time
 * is stored, unless the round finds some older than the misfire threshold (the database was
 * unreachable, the node paused): those count as a misfire too, so no storm of executions follows.
 */
public class ScheduleTicker {

	private static final Log logger = LogFactory.getLog(ScheduleTicker.class);

	private final DefaultTaskRegistry registry;

	private final ScheduleCatalog catalog;

	private final TaskEnablement enablement;

	private final ScheduleStore store;

	private final ExecutionStore executions;

	private final WorkSignal signal;

	private final Duration misfireThreshold;

	private final Map<String, Instant> cursors = new HashMap<>();

	private final AtomicLong fired = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private final AtomicLong misfires = new AtomicLong();

	private final AtomicLong rounds = new AtomicLong();

	private final ExecutionObserver observer;

	/**
	 * @param registry the registered tasks
	 * @param catalog their schedules in effect
	 * @param enablement whether each task may fire
	 * @param store reads fire times and the database clock
	 * @param executions stores the execution of each fire time
	 * @param signal wakes the workers once a fire time is stored
	 * @param misfireThreshold how late a fire time may be found before it counts as missed
	 * @param observer told about every execution stored
	 */
	public ScheduleTicker(DefaultTaskRegistry registry, ScheduleCatalog catalog, TaskEnablement enablement,
			ScheduleStore store, ExecutionStore executions, WorkSignal signal, Duration misfireThreshold,
			ExecutionObserver observer) {
		this.observer = observer;
		this.registry = registry;
		this.catalog = catalog;
		this.enablement = enablement;
		this.store = store;
		this.executions = executions;
		this.signal = signal;
		this.misfireThreshold = misfireThreshold;
	}

	/**
	 * Runs one round.
	 * @return how long from now until the earliest upcoming fire time (by the database clock, less the
	 * time the round took), or {@code null} when nothing is scheduled
	 */
	public synchronized @Nullable Duration tick() {
		List<TaskDefinition> scheduled = this.registry.definitions()
			.stream()
			.filter((definition) -> !this.catalog.schedules(definition).isEmpty())
			.toList();
		if (scheduled.isEmpty()) {
			this.rounds.incrementAndGet();
			return null;
		}
		Instant now = this.store.now();
		long readAt = System.nanoTime();
		this.enablement.refresh();
		Instant nearest = null;
		for (TaskDefinition definition : scheduled) {
			boolean enabled = this.enablement.isEnabled(definition.name());
			for (Schedule schedule : this.catalog.schedules(definition)) {
				String key = definition.name() + "\n" + schedule.id();
				try {
					Instant cursor = enabled ? advance(definition, schedule, this.cursors.get(key), now) : now;
					this.cursors.put(key, cursor);
					Instant next = enabled ? schedule.next(cursor) : null;
					nearest = (next != null && (nearest == null || next.isBefore(nearest))) ? next : nearest;
				}
				catch (RuntimeException ex) {
					logger.warn("Could not fire schedule " + schedule + " of task '" + definition.name()
							+ "'; trying again next round", ex);
				}
			}
		}
		this.rounds.incrementAndGet();
		return (nearest != null) ? Duration.between(now, nearest).minusNanos(System.nanoTime() - readAt) : null;
	}

	private Instant advance(TaskDefinition definition, Schedule schedule, @Nullable Instant known, Instant now) {
		boolean firstSight = known == null;
		Instant cursor = firstSight ? this.store.latestFireTime(definition.name(), schedule.id()) : known;
		if (cursor == null) {
			return now;
		}
		Instant first = schedule.next(cursor);
		if (first == null || first.isAfter(now)) {
			return cursor;
		}
		Instant limit = firstSight ? now : now.minus(this.misfireThreshold);
		Instant missed = !first.isAfter(limit) ? schedule.latest(cursor, limit) : null;
		if (missed != null) {
			misfire(definition, schedule, first, missed);
			cursor = missed;
		}
		for (Instant due = schedule.next(cursor); due != null && !due.isAfter(now); due = schedule.next(due)) {
			fire(definition, schedule, due);
			cursor = due;
		}
		return cursor;
	}

	private void misfire(TaskDefinition definition, Schedule schedule, Instant first, Instant last) {
		String what = "Task '" + definition.name() + "' missed fire times of schedule " + schedule + " from " + first
				+ " to " + last;
		if (schedule.misfire() == Misfire.SKIP) {
			this.misfires.incrementAndGet();
			logger.info(what + "; skipping them (misfire = SKIP)");
		}
		else if (fire(definition, schedule, last)) {
			this.misfires.incrementAndGet();
			logger.info(what + "; fired once for " + last + " (misfire = FIRE_ONCE)");
		}
	}

	private boolean fire(TaskDefinition definition, Schedule schedule, Instant fireTime) {
		String task = definition.name();
		if (definition.policy().concurrency() == 1 && definition.policy().partitionBy() == null
				&& !this.store.exists(task, schedule.id(), fireTime)
				&& this.store.hasActiveExecution(task)) {
			this.skipped.incrementAndGet();
			logger.warn("Skipped fire time " + fireTime + " of task '" + task + "' (schedule " + schedule
					+ "): its previous execution is still READY or RUNNING and it runs one at a time (concurrency = 1)");
			return false;
		}
		if (this.executions.insertScheduled(tick(definition, schedule.id(), fireTime))) {
			this.fired.incrementAndGet();
			this.observer.submitted(task, TaskTrigger.SCHEDULE);
			this.signal.wakeAfterCommit();
			return true;
		}
		return false;
	}

	/**
	 * @return how many rounds have completed on this node
	 */
	public long getRoundCount() {
		return this.rounds.get();
	}

	/**
	 * @return how many executions this node's scheduler has stored
	 */
	public long getFiredCount() {
		return this.fired.get();
	}

	/**
	 * @return how many fire times this node skipped because the previous execution of a task with
	 * concurrency 1 was still READY or RUNNING
	 */
	public long getSkippedCount() {
		return this.skipped.get();
	}

	/**
	 * @return how many misfires this node handled (a catch-up it stored, or missed fire times it skipped)
	 */
	public long getMisfireCount() {
		return this.misfires.get();
	}

	/**
	 * @return the execution of one fire time, with its task's flow limits: without params, a tick of a
	 * partitioned task counts in the partition of a missing value
	 */
	private static NewExecution tick(TaskDefinition definition, String scheduleId, Instant fireTime) {
		ExecutionPolicy policy = definition.policy();
		NewExecution tick = NewExecution.scheduled(ExecutionIds.next(), definition.name(), scheduleId, fireTime,
				policy.maxAttempts(), policy.concurrency());
		RateLimit rate = policy.rate();
		if (!policy.isLimited()) {
			return tick;
		}
		return tick.withLimits(policy.concurrency(),
				(policy.partitionBy() != null) ? PartitionKeys.of(null) : PartitionKeys.WHOLE_TASK,
				(rate != null) ? rate.count() : 0, (rate != null) ? rate.period().toMillis() : 0);
	}

}
