package dev.backgroundtasks;

import java.time.Instant;
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
 */
public record Execution(UUID id, String task, TaskStatus status, TaskTrigger trigger, Map<String, Object> params,
		@Nullable Object result, @Nullable ExecutionError error, int attempt, int maxAttempts, int priority,
		@Nullable String key, @Nullable ExecutionProgress progress, Instant createdAt,
		Instant runAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable String node,
		boolean cancelRequested, @Nullable UUID retryOf) {
}
