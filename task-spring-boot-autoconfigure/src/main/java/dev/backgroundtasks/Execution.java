package dev.backgroundtasks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one durable execution of a task.
 *
 * @param id the execution id
 * @param task the task name
 * @param status the current state
 * @param trigger what created the execution
 * @param params the submitted params as plain JSON values
 * @param result the result as plain JSON values, once {@code SUCCESSFUL}
 * @param error the error, once {@code FAILED}
 * @param attempt how many times a worker has started it
 * @param maxAttempts how many attempts it may make in all
 * @param priority higher runs first
 * @param key the deduplication key: at most one READY or RUNNING execution of a task has it
 * @param progress the progress the task last reported through its {@link TaskContext}, or {@code null}
 * when it reported none
 * @param createdAt when it was stored (database time)
 * @param runAt when it becomes due (database time)
 * @param startedAt when the current or last attempt started
 * @param finishedAt when it reached a terminal state
 * @param node the node that ran, or runs, the current attempt
 * @param cancelRequested whether cancelling was asked while it was running
 * @param retryOf the execution this one retries, or {@code null}
 * @param submittedBy the authenticated principal who submitted it (over REST, or from code running
 * with a Spring Security context), or {@code null}
 * @param cancelledBy the authenticated principal who asked to cancel it, or {@code null}
 * @param snoozes how many times its task snoozed it ({@link TaskSnoozedException}); snoozes use no attempt
 * @param after the executions it was submitted after ({@link TaskSubmission#after}), in the order given;
 * empty for none
 * @param batchId the batch it is a member of ({@link TaskClient#batch()}), or {@code null}; a batch's callback
 * is no member
 */
public record Execution(UUID id, String task, TaskStatus status, TaskTrigger trigger, Map<String, Object> params,
		@Nullable Object result, @Nullable ExecutionError error, int attempt, int maxAttempts, int priority,
		@Nullable String key, @Nullable ExecutionProgress progress, Instant createdAt,
		Instant runAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String node,
		boolean cancelRequested, @Nullable UUID retryOf, @Nullable String submittedBy, @Nullable String cancelledBy,
		int snoozes, List<UUID> after, @Nullable UUID batchId) {

	public Execution {
		after = List.copyOf(after);
	}

	/**
	 * An execution submitted after no other, and no member of a batch.
	 * @param id the id
	 * @param task the task name
	 * @param status the state
	 * @param trigger what created it
	 * @param params the params
	 * @param result the result, or {@code null}
	 * @param error the last error, or {@code null}
	 * @param attempt the attempts used
	 * @param maxAttempts the attempts it may make
	 * @param priority the priority
	 * @param key the deduplication key, or {@code null}
	 * @param progress the progress, or {@code null}
	 * @param createdAt when it was stored
	 * @param runAt when it is due
	 * @param startedAt when its last attempt started, or {@code null}
	 * @param finishedAt when it finished, or {@code null}
	 * @param node the node of its last attempt, or {@code null}
	 * @param cancelRequested whether cancelling was asked while it ran
	 * @param retryOf the execution it retries, or {@code null}
	 * @param submittedBy who submitted it, or {@code null}
	 * @param cancelledBy who asked to cancel it, or {@code null}
	 * @param snoozes how many times its task snoozed it
	 */
	public Execution(UUID id, String task, TaskStatus status, TaskTrigger trigger, Map<String, Object> params,
			@Nullable Object result, @Nullable ExecutionError error, int attempt, int maxAttempts, int priority,
			@Nullable String key, @Nullable ExecutionProgress progress, Instant createdAt, Instant runAt,
			@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String node, boolean cancelRequested,
			@Nullable UUID retryOf, @Nullable String submittedBy, @Nullable String cancelledBy, int snoozes) {
		this(id, task, status, trigger, params, result, error, attempt, maxAttempts, priority, key, progress, createdAt,
				runAt, startedAt, finishedAt, node, cancelRequested, retryOf, submittedBy, cancelledBy, snoozes,
				List.of(), null);
	}

	/**
	 * An execution that never snoozed.
	 * @param id the id
	 * @param task the task name
	 * @param status the state
	 * @param trigger what created it
	 * @param params the params
	 * @param result the result, or {@code null}
	 * @param error the last error, or {@code null}
	 * @param attempt the attempts used
	 * @param maxAttempts the attempts it may make
	 * @param priority the priority
	 * @param key the deduplication key, or {@code null}
	 * @param progress the latest progress, or {@code null}
	 * @param createdAt when it was stored
	 * @param runAt when it is or was due
	 * @param startedAt when its latest attempt started, or {@code null}
	 * @param finishedAt when it finished, or {@code null}
	 * @param node the node of its latest attempt, or {@code null}
	 * @param cancelRequested whether stopping it was asked while it ran
	 * @param retryOf the execution it retries, or {@code null}
	 * @param submittedBy who submitted it, or {@code null}
	 * @param cancelledBy who asked to cancel it, or {@code null}
	 */
	public Execution(UUID id, String task, TaskStatus status, TaskTrigger trigger, Map<String, Object> params,
			@Nullable Object result, @Nullable ExecutionError error, int attempt, int maxAttempts, int priority,
			@Nullable String key, @Nullable ExecutionProgress progress, Instant createdAt, Instant runAt,
			@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String node, boolean cancelRequested,
			@Nullable UUID retryOf, @Nullable String submittedBy, @Nullable String cancelledBy) {
		this(id, task, status, trigger, params, result, error, attempt, maxAttempts, priority, key, progress, createdAt,
				runAt, startedAt, finishedAt, node, cancelRequested, retryOf, submittedBy, cancelledBy, 0, List.of(), null);
	}

	/**
	 * An execution without audit information.
	 * @param id the id
	 * @param task the task name
	 * @param status the state
	 * @param trigger what created it
	 * @param params the params
	 * @param result the result, or {@code null}
	 * @param error the last error, or {@code null}
	 * @param attempt the attempts used
	 * @param maxAttempts the attempts it may make
	 * @param priority the priority
	 * @param key the deduplication key, or {@code null}
	 * @param progress the latest progress, or {@code null}
	 * @param createdAt when it was stored
	 * @param runAt when it is or was due
	 * @param startedAt when its latest attempt started, or {@code null}
	 * @param finishedAt when it finished, or {@code null}
	 * @param node the node of its latest attempt, or {@code null}
	 * @param cancelRequested whether stopping it was asked while it ran
	 * @param retryOf the execution it retries, or {@code null}
	 */
	public Execution(UUID id, String task, TaskStatus status, TaskTrigger trigger, Map<String, Object> params,
			@Nullable Object result, @Nullable ExecutionError error, int attempt, int maxAttempts, int priority,
			@Nullable String key, @Nullable ExecutionProgress progress, Instant createdAt, Instant runAt,
			@Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String node, boolean cancelRequested,
			@Nullable UUID retryOf) {
		this(id, task, status, trigger, params, result, error, attempt, maxAttempts, priority, key, progress, createdAt,
				runAt, startedAt, finishedAt, node, cancelRequested, retryOf, null, null, 0, List.of(), null);
	}

}
