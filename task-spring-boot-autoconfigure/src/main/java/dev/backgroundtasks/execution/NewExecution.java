package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;

/**
 * An execution about to be stored.
 *
 * @param id the id, from {@link ExecutionIds}
 * @param task the task name
 * @param trigger what created it
 * @param params the validated params as JSON text
 * @param maxAttempts how many attempts it may make in all
 * @param maxConcurrency how many executions of its task may run at once in the cluster; 0 for no limit
 * @param priority higher runs first
 * @param runAt when it becomes due, or {@code null} for now (or after {@code delay})
 * @param delay how long after now (database time) it becomes due, or {@code null}
 * @param key the deduplication key, or {@code null}
 * @param retryOf the execution it retries, or {@code null}
 * @param traceContext the trace context it is submitted in, to restore when it runs, or {@code null}
 * @param scheduleId the schedule whose fire time it is, or {@code null}
 * @param fireTime the fire time it is for, or {@code null}: stored once per task, schedule and fire time
 * @param submittedBy the authenticated principal who submitted it, or {@code null}
 * @param batchId the batch it is a member of, or {@code null}
 */
public record NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts,
		int maxConcurrency, int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
		@Nullable UUID retryOf, @Nullable String traceContext, @Nullable String scheduleId,
		@Nullable Instant fireTime, @Nullable String submittedBy, @Nullable UUID batchId) {

	/**
	 * An execution that is no member of a batch.
	 * @param id the id
	 * @param task the task name
	 * @param trigger what created it
	 * @param params the validated params as JSON text
	 * @param maxAttempts how many attempts it may make in all
	 * @param maxConcurrency how many executions of its task may run at once in the cluster; 0 for no limit
	 * @param priority higher runs first
	 * @param runAt when it becomes due, or {@code null}
	 * @param delay how long after now it becomes due, or {@code null}
	 * @param key the deduplication key, or {@code null}
	 * @param retryOf the execution it retries, or {@code null}
	 * @param traceContext the trace context it is submitted in, or {@code null}
	 * @param scheduleId the schedule whose fire time it is, or {@code null}
	 * @param fireTime the fire time it is for, or {@code null}
	 * @param submittedBy who submitted it, or {@code null}
	 */
	public NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts, int maxConcurrency,
			int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
			@Nullable UUID retryOf, @Nullable String traceContext, @Nullable String scheduleId,
			@Nullable Instant fireTime, @Nullable String submittedBy) {
		this(id, task, trigger, params, maxAttempts, maxConcurrency, priority, runAt, delay, key, retryOf, traceContext,
				scheduleId, fireTime, submittedBy, null);
	}

	/**
	 * An execution that no schedule fired.
	 * @param id the id
	 * @param task the task name
	 * @param trigger what created it
	 * @param params the validated params as JSON text
	 * @param maxAttempts how many attempts it may make in all
	 * @param maxConcurrency how many executions of its task may run at once in the cluster; 0 for no limit
	 * @param priority higher runs first
	 * @param runAt when it becomes due, or {@code null}
	 * @param delay how long after now it becomes due, or {@code null}
	 * @param key the deduplication key, or {@code null}
	 * @param retryOf the execution it retries, or {@code null}
	 * @param traceContext the trace context it is submitted in, or {@code null}
	 */
	public NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts, int maxConcurrency,
			int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
			@Nullable UUID retryOf, @Nullable String traceContext) {
		this(id, task, trigger, params, maxAttempts, maxConcurrency, priority, runAt, delay, key, retryOf,
				traceContext, null, null, null);
	}

	/**
	 * An execution submitted outside any trace.
	 * @param id the id
	 * @param task the task name
	 * @param trigger what created it
	 * @param params the validated params as JSON text
	 * @param maxAttempts how many attempts it may make in all
	 * @param maxConcurrency how many executions of its task may run at once in the cluster; 0 for no limit
	 * @param priority higher runs first
	 * @param runAt when it becomes due, or {@code null}
	 * @param delay how long after now it becomes due, or {@code null}
	 * @param key the deduplication key, or {@code null}
	 * @param retryOf the execution it retries, or {@code null}
	 */
	public NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts, int maxConcurrency,
			int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
			@Nullable UUID retryOf) {
		this(id, task, trigger, params, maxAttempts, maxConcurrency, priority, runAt, delay, key, retryOf, null);
	}

	/**
	 * @param id the id
	 * @param task the task name
	 * @param trigger what created it
	 * @param params the params as JSON text
	 * @return a due-now execution with one attempt, no limit, default priority and no key
	 */
	public static NewExecution of(UUID id, String task, TaskTrigger trigger, String params) {
		return new NewExecution(id, task, trigger, params, 1, 0, 0, null, null, null, null);
	}

	/**
	 * @param id the id
	 * @param task the task name
	 * @param scheduleId the schedule that fired
	 * @param fireTime the fire time
	 * @param maxAttempts how many attempts it may make in all
	 * @param maxConcurrency the task's cluster-wide concurrency limit, 0 for none
	 * @return the execution of one fire time of a schedule: due now, without params
	 */
	public static NewExecution scheduled(UUID id, String task, String scheduleId, Instant fireTime, int maxAttempts,
			int maxConcurrency) {
		return new NewExecution(id, task, TaskTrigger.SCHEDULE, "{}", maxAttempts, maxConcurrency, 0, null, null, null,
				null, null, scheduleId, fireTime, null);
	}

	/**
	 * @param principal who submits it, or {@code null}
	 * @return this execution, submitted by that principal
	 */
	public NewExecution submittedBy(@Nullable String principal) {
		return new NewExecution(this.id, this.task, this.trigger, this.params, this.maxAttempts, this.maxConcurrency,
				this.priority, this.runAt, this.delay, this.key, this.retryOf, this.traceContext, this.scheduleId,
				this.fireTime, principal, this.batchId);
	}

	/**
	 * @param batch the batch it is a member of
	 * @return this execution, as a member of that batch
	 */
	public NewExecution inBatch(UUID batch) {
		return new NewExecution(this.id, this.task, this.trigger, this.params, this.maxAttempts, this.maxConcurrency,
				this.priority, this.runAt, this.delay, this.key, this.retryOf, this.traceContext, this.scheduleId,
				this.fireTime, this.submittedBy, batch);
	}

	/**
	 * @return whether it is due as soon as it is stored, with nothing that makes its insert conditional (no
	 * key, no schedule): what batch inserts and inserts already claimed take
	 */
	public boolean isPlainDueNow() {
		return this.runAt == null && this.delay == null && this.key == null && this.scheduleId == null;
	}

}
