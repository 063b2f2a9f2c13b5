package dev.backgroundtasks.execution;

import java.util.UUID;

import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;

/**
 * A batch about to be stored with its members.
 *
 * @param id the batch id, from {@link ExecutionIds}
 * @param trigger what submits it; its callback is stored with the same trigger
 * @param callbackTask the task stored once every member has ended, or {@code null} for none
 * @param callbackParams the callback's own validated params as JSON text, or {@code null} without callback
 * @param callbackMaxAttempts how many attempts the callback may make
 * @param callbackMaxConcurrency the callback task's cluster-wide concurrency limit, 0 for none
 * @param callbackGetsBatchId whether the callback's params gain {@code batchId} (its task declares it, or
 * takes any params)
 * @param callbackGetsCounts whether the callback's params gain {@code counts}
 * @param traceContext the trace context the batch is submitted in, or {@code null}
 * @param submittedBy the authenticated principal who submits it, or {@code null}
 */
public record NewBatch(UUID id, TaskTrigger trigger, @Nullable String callbackTask, @Nullable String callbackParams,
		int callbackMaxAttempts, int callbackMaxConcurrency, boolean callbackGetsBatchId, boolean callbackGetsCounts,
		@Nullable String traceContext, @Nullable String submittedBy) {

	/**
	 * @param id the batch id
	 * @param trigger what submits it
	 * @return a batch without callback
	 */
	public static NewBatch withoutCallback(UUID id, TaskTrigger trigger) {
		return new NewBatch(id, trigger, null, null, 1, 0, false, false, null, null);
	}

}
