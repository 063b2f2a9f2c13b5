package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * One durable execution of a task, as stored in {@code bgt_execution}. Read through JPA; every state
 * change goes through {@link ExecutionStore}'s guarded statements, never through this entity, so the
 * entity has no setters. Params and results are JSON text.
 */
@Entity
@Table(name = "bgt_execution")
public class TaskExecution {

	@Id
	private UUID id;

	@Column(name = "task_name", nullable = false, length = 200)
	private String taskName;

	@Column(name = "status", nullable = false, length = 16)
	private String status;

	@Column(name = "trigger_type", nullable = false, length = 16)
	private String trigger;

	@Column(name = "params", nullable = false)
	private String params;

	@Column(name = "result")
	private @Nullable String result;

	@Column(name = "error_type", length = 500)
	private @Nullable String errorType;

	@Column(name = "error_message")
	private @Nullable String errorMessage;

	@Column(name = "error_stack_trace")
	private @Nullable String errorStackTrace;

	@Column(name = "attempt", nullable = false)
	private int attempt;

	@Column(name = "priority", nullable = false)
	private int priority;

	@Column(name = "node", length = 200)
	private @Nullable String node;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "run_at", nullable = false)
	private Instant runAt;

	@Column(name = "started_at")
	private @Nullable Instant startedAt;

	@Column(name = "finished_at")
	private @Nullable Instant finishedAt;

	@Column(name = "max_attempts", nullable = false)
	private int maxAttempts;

	@Column(name = "max_concurrency", nullable = false)
	private int maxConcurrency;

	@Column(name = "lease_until")
	private @Nullable Instant leaseUntil;

	@Column(name = "cancel_requested", nullable = false)
	private boolean cancelRequested;

	@Column(name = "dedup_key", length = 200)
	private @Nullable String dedupKey;

	@Column(name = "retry_of")
	private @Nullable UUID retryOf;
	@Column(name = "schedule_id", length = 200)
	private @Nullable String scheduleId;

	@Column(name = "fire_time")
	private @Nullable Instant fireTime;

	@Column(name = "trace_context", length = 1000)
	private @Nullable String traceContext;

	@Column(name = "submitted_by", length = 255)
	private @Nullable String submittedBy;

	@Column(name = "cancelled_by", length = 255)
	private @Nullable String cancelledBy;

	@Column(name = "snoozes", nullable = false)
	private int snoozes;

	@Column(name = "after_ids")
	private @Nullable String afterIds;

	@Column(name = "batch_id")
	private @Nullable UUID batchId;

	@Column(name = "progress_current")
	private @Nullable Long progressCurrent;

	@Column(name = "progress_total")
	private @Nullable Long progressTotal;

	@Column(name = "progress_message", length = 1000)
	private @Nullable String progressMessage;

	@SuppressWarnings("NullAway.Init")
	protected TaskExecution() {
	}

	public UUID getId() {
		return this.id;
	}

	public String getTaskName() {
		return this.taskName;
	}

	public TaskStatus getStatus() {
		return TaskStatus.valueOf(this.status);
	}

	public TaskTrigger getTrigger() {
		return TaskTrigger.valueOf(this.trigger);
	}

	public String getParams() {
		return this.params;
	}

	public @Nullable String getResult() {
		return this.result;
	}

	public @Nullable String getErrorType() {
		return this.errorType;
	}

	public @Nullable String getErrorMessage() {
		return this.errorMessage;
	}

	public @Nullable String getErrorStackTrace() {
		return this.errorStackTrace;
	}

	public int getAttempt() {
		return this.attempt;
	}

	public int getPriority() {
		return this.priority;
	}

	public @Nullable String getNode() {
		return this.node;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getRunAt() {
		return this.runAt;
	}

	public @Nullable Instant getStartedAt() {
		return this.startedAt;
	}

	public @Nullable Instant getFinishedAt() {
		return this.finishedAt;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public int getMaxConcurrency() {
		return this.maxConcurrency;
	}

	public @Nullable Instant getLeaseUntil() {
		return this.leaseUntil;
	}

	public boolean isCancelRequested() {
		return this.cancelRequested;
	}

	public @Nullable String getDedupKey() {
		return this.dedupKey;
	}

	public @Nullable UUID getRetryOf() {
		return this.retryOf;
	}

	/**
	 * @return the principal who submitted this execution, or {@code null}
	 */
	public @Nullable String getSubmittedBy() {
		return this.submittedBy;
	}

	/**
	 * @return the principal who asked to cancel this execution, or {@code null}
	 */
	public @Nullable String getCancelledBy() {
		return this.cancelledBy;
	}

	/**
	 * @return the ids of the executions it was submitted after, comma-separated, or {@code null}
	 */
	public @Nullable String getAfterIds() {
		return this.afterIds;
	}

	public int getSnoozes() {
		return this.snoozes;
	}

	/**
	 * @return the batch this execution is a member of, or {@code null}
	 */
	public @Nullable UUID getBatchId() {
		return this.batchId;
	}

	/**
	 * @return the schedule that created this execution, or {@code null} when none did
	 */
	public @Nullable String getScheduleId() {
		return this.scheduleId;
	}

	/**
	 * @return the fire time of the schedule this execution is for, or {@code null}
	 */
	public @Nullable Instant getFireTime() {
		return this.fireTime;
	}

	/**
	 * @return the trace context the execution was submitted in (propagation headers, one "name: value"
	 * per line), or {@code null} when it was submitted outside a trace
	 */
	public @Nullable String getTraceContext() {
		return this.traceContext;
	}

	/**
	 * @return the units of work done that the task last reported, or {@code null} when it reported none
	 */
	public @Nullable Long getProgressCurrent() {
		return this.progressCurrent;
	}

	/**
	 * @return the units of work in all that the task last reported, or {@code null}
	 */
	public @Nullable Long getProgressTotal() {
		return this.progressTotal;
	}

	/**
	 * @return the message the task last reported, or {@code null}
	 */
	public @Nullable String getProgressMessage() {
		return this.progressMessage;
	}

}
