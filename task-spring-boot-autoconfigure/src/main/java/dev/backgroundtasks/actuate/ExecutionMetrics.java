package dev.backgroundtasks.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records the Micrometer meters of executions. Tags are the task name and a value from a small fixed
 * set; never an execution id or a param.
 * <ul>
 * <li>{@code background.tasks.submitted} counter ({@code task}, {@code trigger}): new executions
 * stored, by this node's client, REST API or scheduler;</li>
 * <li>{@code background.tasks.executions} timer ({@code task}, {@code outcome} = success, failure,
 * timeout or cancelled): one sample per execution that ended on this node, timing its last attempt. A
 * retried attempt is no outcome, nor is a {@code READY} execution cancelled before it ran;</li>
 * <li>{@code background.tasks.retries} counter ({@code task}): failed, timed-out or lost attempts
 * followed by another attempt;</li>
 * <li>{@code background.tasks.recovered} counter ({@code task}, {@code status} = READY, FAILED or
 * CANCELLED): attempts lost with their node (lease expired) that this node ended, by what became of
 * the execution;</li>
 * <li>{@code background.tasks.pickup.latency} timer ({@code task}): from when an execution was ready
 * (due, and created) to the start of its attempt, by the database clock;</li>
 * <li>{@code background.tasks.schedule.lag} timer ({@code task}): from the fire time of a schedule tick
 * to the start of its first attempt.</li>
 * </ul>
 */
public class ExecutionMetrics implements ExecutionObserver {

	static final String SUBMITTED = "background.tasks.submitted";

	static final String EXECUTIONS = "background.tasks.executions";

	static final String RETRIES = "background.tasks.retries";

	static final String SNOOZES = "background.tasks.snoozes";

	static final String RECOVERED = "background.tasks.recovered";

	static final String PICKUP_LATENCY = "background.tasks.pickup.latency";

	static final String SCHEDULE_LAG = "background.tasks.schedule.lag";

	private final MeterRegistry registry;

	/**
	 * The meters of each task, registered on first use, by meter name or by the tag value (an enum
	 * constant) that tells them apart: the hot path neither builds ids nor joins strings per execution.
	 */
	private final Map<String, Map<Object, Meter>> meters = new ConcurrentHashMap<>();

	public ExecutionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void submitted(String task, TaskTrigger trigger) {
		submitted(task, trigger, 1);
	}

	@Override
	public void submitted(String task, TaskTrigger trigger, int count) {
		this.<Counter>meter(task, trigger, () -> Counter.builder(SUBMITTED)
			.description("Executions stored for background tasks")
			.tags("task", task, "trigger", trigger.name())
			.register(this.registry)).increment(count);
	}

	@Override
	public void recovered(String task, TaskStatus status) {
		this.<Counter>meter(task, status, () -> Counter.builder(RECOVERED)
			.description("Attempts of background tasks lost with their node, by what became of the execution")
			.tags("task", task, "status", status.name())
			.register(this.registry)).increment();
		if (status == TaskStatus.READY) {
			retried(task);
		}
	}

	@Override
	public AttemptObservation attemptStarted(ClaimedExecution claim) {
		String task = claim.task();
		Instant started = claim.startedAt();
		if (started != null) {
			record(PICKUP_LATENCY, "Time from an execution being ready to run to the start of its attempt", task,
					claim.readyAt(), started);
			if (claim.attempt() == 1) {
				record(SCHEDULE_LAG, "Time from a schedule's fire time to the start of its execution", task,
						claim.fireTime(), started);
			}
		}
		Timer.Sample sample = Timer.start(this.registry);
		return (outcome, failure) -> ended(task, outcome, sample);
	}

	private void ended(String task, AttemptOutcome outcome, Timer.Sample sample) {
		if (outcome.isTerminal()) {
			String name = outcome.name().toLowerCase(Locale.ROOT);
			sample.stop(this.<Timer>meter(task, outcome, () -> Timer.builder(EXECUTIONS)
				.description("Executions of background tasks that ended on this node, timing their last attempt")
				.tags("task", task, "outcome", name)
				.register(this.registry)));
		}
		else if (outcome == AttemptOutcome.RETRY) {
			retried(task);
		}
		else if (outcome == AttemptOutcome.SNOOZED) {
			this.<Counter>meter(task, SNOOZES, () -> Counter.builder(SNOOZES)
				.description("Attempts of background tasks that snoozed (TaskSnoozedException), using no attempt")
				.tag("task", task)
				.register(this.registry)).increment();
		}
	}

	private void retried(String task) {
		this.<Counter>meter(task, RETRIES, () -> Counter.builder(RETRIES)
			.description("Failed or lost attempts of background tasks that are retried")
			.tag("task", task)
			.register(this.registry)).increment();
	}

	private void record(String name, String description, String task, @Nullable Instant from, Instant to) {
		if (from == null) {
			return;
		}
		Duration duration = Duration.between(from, to);
		this.<Timer>meter(task, name, () -> Timer.builder(name)
			.description(description)
			.tag("task", task)
			.register(this.registry)).record(duration.isNegative() ? Duration.ZERO : duration);
	}

	/**
	 * @param task the task
	 * @param kind the meter name, or the tag value (an enum constant) that tells it from the task's other
	 * meters
	 */
	@SuppressWarnings("unchecked")
	private <M extends Meter> M meter(String task, Object kind, Supplier<M> register) {
		Map<Object, Meter> meters = this.meters.get(task);
		if (meters == null) {
			meters = this.meters.computeIfAbsent(task, (t) -> new ConcurrentHashMap<>());
		}
		Meter meter = meters.get(kind);
		return (M) ((meter != null) ? meter : meters.computeIfAbsent(kind, (k) -> register.get()));
	}

}
