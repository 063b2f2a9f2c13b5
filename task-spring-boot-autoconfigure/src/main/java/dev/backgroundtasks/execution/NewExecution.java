package dev.backgroundtasks.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param maxConcurrency how many executions of its task (or of its partition) may run at once in the cluster; 0
 * for no limit of any kind, {@link #NO_CONCURRENCY_LIMIT} for a task limited by rate only
 * @param priority higher runs first
 * @param runAt when it becomes due, or {@code null} for now (or after {@code delay})
 * @param delay how long after now (database time) it becomes due, or {@code null}
 * @param key the deduplication key, or {@code null}
 * @param retryOf the execution it retries, or {@code null}
 * @param traceContext the trace context it is submitted in, to restore when it runs, or {@code null}
 * @param scheduleId the schedule whose fire time it is, or {@code null}
 * @param fireTime the fire time it is for, or {@code null}: stored once per task, schedule and fire time
 * @param submittedBy the authenticated principal who submitted it, or {@code null}
 * @param partitionKey the partition its limits apply to: empty for the whole task, else the value of the
 * task's {@code partitionBy} parameter (see {@link PartitionKeys})
 * @param rateLimit how many of its task's (or partition's) attempts may start per {@code ratePeriodMillis}; 0
 * for no rate limit
 * @param ratePeriodMillis the length of the rate limit's sliding window, 0 for no rate limit
 * @param after the executions it waits for (stored {@code WAITING} until they all succeeded); empty for none
 * @param batchId the batch it is a member of, or {@code null}
 */
public record NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts,
		int maxConcurrency, int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
		@Nullable UUID retryOf, @Nullable String traceContext, @Nullable String scheduleId,
		@Nullable Instant fireTime, @Nullable String submittedBy, String partitionKey, int rateLimit,
		long ratePeriodMillis, List<UUID> after, @Nullable UUID batchId) {

	/**
	 * The {@code maxConcurrency} of an execution whose task has a rate limit but no concurrency limit: it is
	 * claimed as a limited one, and its concurrency is never what holds it back.
	 */
	public static final int NO_CONCURRENCY_LIMIT = Integer.MAX_VALUE;

	public NewExecution {
		after = List.copyOf(new LinkedHashSet<>(after));
	}

	/**
	 * An execution of a task without a partition or a rate limit, that waits for no other and is no member of a batch.
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
	 * @param submittedBy the authenticated principal who submitted it, or {@code null}
	 */
	public NewExecution(UUID id, String task, TaskTrigger trigger, String params, int maxAttempts, int maxConcurrency,
			int priority, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String key,
			@Nullable UUID retryOf, @Nullable String traceContext, @Nullable String scheduleId,
			@Nullable Instant fireTime, @Nullable String submittedBy) {
		this(id, task, trigger, params, maxAttempts, maxConcurrency, priority, runAt, delay, key, retryOf,
				traceContext, scheduleId, fireTime, submittedBy, "", 0, 0, List.of(), null);
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
				this.fireTime, principal, this.partitionKey, this.rateLimit, this.ratePeriodMillis, this.after,
				this.batchId);
	}

	/**
	 * @param concurrency how many of its task (or partition) may run at once, 0 for no concurrency limit
	 * @param partitionKey the partition, empty for the whole task
	 * @param rateLimit how many may start per period, 0 for no rate limit
	 * @param ratePeriodMillis the period, 0 for no rate limit
	 * @return this execution with these limits; limited by rate only, its {@code maxConcurrency} is
	 * {@link #NO_CONCURRENCY_LIMIT}
	 */
	public NewExecution withLimits(int concurrency, String partitionKey, int rateLimit, long ratePeriodMillis) {
		int stored = (concurrency > 0) ? concurrency : (rateLimit > 0) ? NO_CONCURRENCY_LIMIT : 0;
		return new NewExecution(this.id, this.task, this.trigger, this.params, this.maxAttempts, stored, this.priority,
				this.runAt, this.delay, this.key, this.retryOf, this.traceContext, this.scheduleId, this.fireTime,
				this.submittedBy, partitionKey, rateLimit, ratePeriodMillis, this.after, this.batchId);
	}

	/**
	 * @param parents the executions it waits for
	 * @return this execution, stored {@code WAITING} until they all succeeded
	 */
	public NewExecution after(List<UUID> parents) {
		return new NewExecution(this.id, this.task, this.trigger, this.params, this.maxAttempts, this.maxConcurrency,
				this.priority, this.runAt, this.delay, this.key, this.retryOf, this.traceContext, this.scheduleId,
				this.fireTime, this.submittedBy, this.partitionKey, this.rateLimit, this.ratePeriodMillis, parents,
				this.batchId);
	}

	/**
	 * @param batch the batch it is a member of
	 * @return this execution, as a member of that batch
	 */
	public NewExecution inBatch(UUID batch) {
		return new NewExecution(this.id, this.task, this.trigger, this.params, this.maxAttempts, this.maxConcurrency,
				this.priority, this.runAt, this.delay, this.key, this.retryOf, this.traceContext, this.scheduleId,
				this.fireTime, this.submittedBy, this.partitionKey, this.rateLimit, this.ratePeriodMillis, this.after,
				batch);
	}

	/**
	 * @return whether it is due as soon as it is stored, with nothing that makes its insert conditional (no
	 * key, no schedule, no execution to wait for): what batch inserts and inserts already claimed take
	 */
	public boolean isPlainDueNow() {
		return this.runAt == null && this.delay == null && this.key == null && this.scheduleId == null
				&& this.after.isEmpty();
	}

}
