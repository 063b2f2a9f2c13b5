package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An execution a node has claimed: what it needs to run it and to fence the write of its outcome.
 *
 * @param id the execution id
 * @param task the task name
 * @param params the params as JSON text
 * @param attempt the attempt number this claim started; part of the fence
 * @param node the node that holds the claim; part of the fence
 * @param maxAttempts how many attempts the execution may make in all
 * @param readyAt when it became ready to run: the later of its creation and its due time (database
 * time), or {@code null} when not read
 * @param startedAt when this claim started it (database time), or {@code null} when not read
 * @param fireTime the fire time of the schedule tick it is for, or {@code null}
 * @param traceContext the trace context it was submitted in, as stored, or {@code null}
 * @param claimToken the execution's claim token after this claim: every claim raises it and nothing lowers
 * it, so it fences the end of this attempt (the attempt number recurs after a hand-back; the token never)
 * @param batchId the batch it is a member of, or {@code null}: the end of its attempt looks at the batch only
 * when it has one
 */
public record ClaimedExecution(UUID id, String task, String params, int attempt, String node, int maxAttempts,
		@Nullable Instant readyAt, @Nullable Instant startedAt, @Nullable Instant fireTime,
		@Nullable String traceContext, long claimToken, @Nullable UUID batchId) {

	/**
	 * A claim of an execution that is no member of a batch.
	 * @param id the execution id
	 * @param task the task name
	 * @param params the params as JSON text
	 * @param attempt the attempt number this claim started
	 * @param node the node that holds the claim
	 * @param maxAttempts how many attempts the execution may make in all
	 * @param readyAt when it became ready to run, or {@code null}
	 * @param startedAt when this claim started it, or {@code null}
	 * @param fireTime the fire time of the schedule tick it is for, or {@code null}
	 * @param traceContext the trace context it was submitted in, or {@code null}
	 * @param claimToken the execution's claim token after this claim
	 */
	public ClaimedExecution(UUID id, String task, String params, int attempt, String node, int maxAttempts,
			@Nullable Instant readyAt, @Nullable Instant startedAt, @Nullable Instant fireTime,
			@Nullable String traceContext, long claimToken) {
		this(id, task, params, attempt, node, maxAttempts, readyAt, startedAt, fireTime, traceContext, claimToken, null);
	}

	/**
	 * A claim whose token equals its attempt number: a claim of an execution never given back.
	 * @param id the execution id
	 * @param task the task name
	 * @param params the params as JSON text
	 * @param attempt the attempt number this claim started
	 * @param node the node that holds the claim
	 * @param maxAttempts how many attempts the execution may make in all
	 * @param readyAt when it became ready to run, or {@code null}
	 * @param startedAt when this claim started it, or {@code null}
	 * @param fireTime the fire time of the schedule tick it is for, or {@code null}
	 * @param traceContext the trace context it was submitted in, or {@code null}
	 */
	public ClaimedExecution(UUID id, String task, String params, int attempt, String node, int maxAttempts,
			@Nullable Instant readyAt, @Nullable Instant startedAt, @Nullable Instant fireTime,
			@Nullable String traceContext) {
		this(id, task, params, attempt, node, maxAttempts, readyAt, startedAt, fireTime, traceContext, attempt);
	}

	/**
	 * A claim without its times and trace context, whose token equals its attempt number.
	 * @param id the execution id
	 * @param task the task name
	 * @param params the params as JSON text
	 * @param attempt the attempt number this claim started
	 * @param node the node that holds the claim
	 * @param maxAttempts how many attempts the execution may make in all
	 */
	public ClaimedExecution(UUID id, String task, String params, int attempt, String node, int maxAttempts) {
		this(id, task, params, attempt, node, maxAttempts, null, null, null, null, attempt);
	}

	/**
	 * @return whether a failure of this attempt may be retried
	 */
	public boolean hasAttemptsLeft() {
		return this.attempt < this.maxAttempts;
	}

}
