package dev.backgroundtasks.test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSlice;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.schedule.BackgroundTaskScheduler;
import dev.backgroundtasks.schedule.Schedule;
import dev.backgroundtasks.schedule.ScheduleCatalog;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.test.ScheduleStops.Fire;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BackgroundTasksTest} injects to drive and observe background tasks: the {@link TestClock}
 * ({@link #advance}, {@link #advanceTo}), waiting until the engine is idle ({@link #awaitIdle}), firing a
 * schedule now ({@link #runNow}), and the executions created since the test method started
 * ({@link #executions}), which {@link BackgroundTasksAssertions} asserts on.
 */
public class BackgroundTasksTester {

	/** The most fire times one advance stops at: more means a frequent schedule the test does not need. */
	static final int MAX_STOPS = 10_000;

	private static final int PAGE = 500;

	private final TestClock clock;

	private final Duration awaitTimeout;

	private final DefaultTaskRegistry registry;

	private final ExecutionQueries queries;

	private final ExecutionStore store;

	private final TaskClient client;

	private final WorkSignal signal;

	private final EngineActivity activity;

	private final @Nullable BackgroundTaskScheduler scheduler;

	private final @Nullable ScheduleCatalog catalog;

	private final @Nullable ScheduleStops stops;

	private volatile Instant recordingSince = Instant.now();

	BackgroundTasksTester(TestClock clock, Duration awaitTimeout, DefaultTaskRegistry registry,
			ExecutionQueries queries, ExecutionStore store, TaskClient client, WorkSignal signal,
			EngineActivity activity, @Nullable BackgroundTaskScheduler scheduler, @Nullable ScheduleCatalog catalog,
			@Nullable ScheduleStops stops) {
		this.clock = clock;
		this.awaitTimeout = awaitTimeout;
		this.registry = registry;
		this.queries = queries;
		this.store = store;
		this.client = client;
		this.signal = signal;
		this.activity = activity;
		this.scheduler = scheduler;
		this.catalog = catalog;
		this.stops = stops;
	}

	/**
	 * @return the test clock the engine runs on
	 */
	public TestClock clock() {
		return this.clock;
	}

	/**
	 * @return the current time of the test clock
	 */
	public Instant now() {
		return this.clock.instant();
	}

	/**
	 * Moves the test clock forward, as if that much time passed: see {@link #advanceTo}.
	 * @param duration how far, not negative
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("The test clock only moves forward, got " + duration);
		}
		advanceTo(this.clock.instant().plus(duration));
	}

	/**
	 * Moves the test clock forward to an instant, as if the time passed. It first waits until the engine is
	 * idle (a running attempt would otherwise see its lease expire), then stops at every fire time of an
	 * enabled task's schedule and every due time of a waiting execution (a retry, a delayed submission) on
	 * the way: at each it sets the clock, runs a scheduler round and waits until the engine is idle again, so
	 * each runs at its time, one after the other, as in production. It ends at the instant and returns once
	 * the engine is idle there.
	 * @param instant where the clock goes, not before its current time
	 * @throws IllegalArgumentException when the instant is in the test clock's past
	 * @throws AssertionError when the engine is not idle within the await timeout at a stop, or when the
	 * advance would pass more than 10,000 fire times
	 */
	public void advanceTo(Instant instant) {
		if (instant.isBefore(this.clock.instant())) {
			throw new IllegalArgumentException("The test clock only moves forward: it is at " + this.clock.instant()
					+ ", asked for " + instant);
		}
		awaitIdle();
		for (int stopped = 0;; stopped++) {
			Fire fire = (this.stops != null && this.scheduler != null) ? this.stops.next(this.clock.instant()) : null;
			Instant due = this.activity.nextDue();
			Instant stop = earliest(earliest(instant, (fire != null) ? fire.time() : null), due);
			boolean last = stop.equals(instant);
			if (!last && stopped == MAX_STOPS) {
				throw new AssertionError("Advancing the test clock to " + instant + " passes more than " + MAX_STOPS
						+ " fire and due times (at " + stop + ((fire != null && fire.time().equals(stop)) ? ": task '"
								+ fire.task() + "', schedule " + fire.schedule() : "")
						+ "); switch off the schedules the test does not need with background-tasks.tasks.<task>.enabled"
						+ "=false, or advance in smaller steps");
			}
			this.clock.set(stop);
			tick();
			awaitIdle();
			if (last) {
				return;
			}
		}
	}

	/**
	 * Waits until the engine is idle, for the await timeout of the {@link BackgroundTasksTest}.
	 * @throws AssertionError when it is not idle in time
	 */
	public void awaitIdle() {
		awaitIdle(this.awaitTimeout);
	}

	/**
	 * Waits until the engine is idle: no execution of this context's tasks is {@code RUNNING}, and none is
	 * {@code READY} and due by the test clock (executions due later do not count, nor those of tasks switched
	 * off). In immediate mode only running ones count.
	 * @param timeout how long to wait at most
	 * @throws AssertionError naming the busy executions when it is not idle in time
	 */
	public void awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.signal.wake();
		List<String> busy = busy();
		while (!busy.isEmpty()) {
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError("Background tasks were not idle within " + timeout + " at " + this.clock.instant()
						+ " (test clock); still busy: " + String.join(", ", busy));
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			busy = busy();
		}
	}

	/**
	 * Fires a scheduled task now: stores an execution of its (first) schedule for the test clock's current
	 * time, with the trigger {@code SCHEDULE} and without params (the task's defaults), as the scheduler
	 * would, and wakes the worker. A scheduler round at the same instant then finds the fire time taken.
	 * @param task the task's name
	 * @return a handle on the execution
	 * @throws IllegalArgumentException when no such task is registered or it has no schedule
	 * @throws IllegalStateException when an execution for this fire time exists already
	 */
	public TaskHandle runNow(String task) {
		TaskDefinition definition = this.registry.definition(task)
			.orElseThrow(() -> new IllegalArgumentException(
					"No task named '" + task + "'; registered: " + this.registry.names()));
		List<Schedule> schedules = (this.catalog != null) ? this.catalog.schedules(definition) : List.of();
		if (schedules.isEmpty()) {
			throw new IllegalArgumentException("Task '" + task + "' has no schedule in effect (or the scheduler is not"
					+ " configured); submit it with TaskClient instead");
		}
		NewExecution execution = NewExecution.scheduled(ExecutionIds.next(), task, schedules.get(0).id(),
				this.clock.instant(), definition.policy().maxAttempts(), definition.policy().concurrency());
		if (!this.store.insertScheduled(execution)) {
			throw new IllegalStateException("Task '" + task + "' already has an execution for fire time "
					+ this.clock.instant() + " of schedule " + schedules.get(0) + "; advance the clock first");
		}
		this.signal.wake();
		return this.client.handle(execution.id());
	}

	/**
	 * Starts recording afresh: {@link #executions()} then returns those created from now on. Called before
	 * each test method of a {@link BackgroundTasksTest}.
	 */
	public void startRecording() {
		// Whole milliseconds: ids hold their creation time to the millisecond, and a listing from an instant
		// within a millisecond starts at the next one, which would miss what this test creates at once.
		this.recordingSince = Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * @return the executions of this context's tasks created since the test method started (or
	 * {@link #startRecording}), oldest first, as they are now
	 */
	public List<Execution> executions() {
		ExecutionFilter filter = ExecutionFilter.all().withFrom(this.recordingSince);
		List<Execution> found = new ArrayList<>();
		ExecutionSlice slice;
		int page = 0;
		do {
			slice = this.queries.slice(filter, page++, PAGE);
			slice.content().stream().filter((execution) -> this.registry.names().contains(execution.task()))
				.forEach(found::add);
		}
		while (slice.hasNext());
		Collections.reverse(found);
		return found;
	}

	/**
	 * @param task a task name
	 * @return the executions of that task created since the test method started, oldest first
	 */
	public List<Execution> executions(String task) {
		return executions().stream().filter((execution) -> execution.task().equals(task)).toList();
	}

	private static Instant earliest(Instant one, @Nullable Instant other) {
		return (other != null && other.isBefore(one)) ? other : one;
	}

	private void tick() {
		if (this.scheduler != null) {
			this.scheduler.getTicker().tick();
		}
		this.signal.wake();
	}

	private List<String> busy() {
		return this.activity.busy((task) -> this.registry.definition(task).isPresent());
	}

	@Override
	public String toString() {
		return "BackgroundTasksTester (test clock at " + this.clock.instant() + ")";
	}

}
