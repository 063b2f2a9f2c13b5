package dev.backgroundtasks.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTimeoutException;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.Completion;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.AttemptOutcome;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.FinishedExecutions;
import dev.backgroundtasks.worker.RunningAttempt.StopReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one claimed execution in the calling thread: binds its params, invokes the task under the
 * supervisor's watch (timeout, cancellation, shutdown) and records the outcome, fenced on the claim:
 * success, a retry after backoff, the final failure, cancellation, or a hand-back.
 */
public class ExecutionRunner {

	private static final Log logger = LogFactory.getLog(ExecutionRunner.class);

	private static final String NO_PARAMS = "{}";

	private static final Object[] NO_ARGUMENTS = {};

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final ExecutionStore store;

	private final FinishedExecutions waiters;

	private final AttemptSupervisor supervisor;

	private final JsonMapper mapper;

	private final RandomGenerator random = RandomGenerator.getDefault();

	private final ExecutionObserver observer;

	private final @Nullable AttemptContexts contexts;

	private final @Nullable CompletionBatcher completions;

	/**
	 * @param registry finds the task of each execution
	 * @param binder binds the stored params to the task's parameters
	 * @param store records the outcome of each attempt
	 * @param waiters told about every execution that finished here
	 * @param supervisor watches each attempt (lease, timeout, cancel requests)
	 * @param mapper writes results as JSON
	 * @param observer told about every attempt and its outcome
	 * @param contexts opens the {@link dev.backgroundtasks.TaskContext} of each attempt and writes its
	 * progress; {@code null} passes no context
	 * @param completions records successes in batches; {@code null} (immediate mode) records a success
	 * before {@link #run} returns
	 */
	public ExecutionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			FinishedExecutions waiters, AttemptSupervisor supervisor, JsonMapper mapper, ExecutionObserver observer,
			@Nullable AttemptContexts contexts, @Nullable CompletionBatcher completions) {
		this.completions = completions;
		this.contexts = contexts;
		this.registry = registry;
		this.binder = binder;
		this.store = store;
		this.waiters = waiters;
		this.supervisor = supervisor;
		this.mapper = mapper;
		this.observer = observer;
	}

	/**
	 * Runs a claimed execution and records its outcome.
	 * @param claim the claim
	 */
	public void run(ClaimedExecution claim) {
		TaskDefinition definition = this.registry.definition(claim.task()).orElse(null);
		Duration timeout = (definition != null) ? Objects.requireNonNull(definition.policy().timeout()) : Duration.ZERO;
		ExecutionObserver.AttemptObservation observation = this.observer.attemptStarted(claim);
		RunningAttempt attempt = this.supervisor.begin(claim, timeout);
		DefaultTaskContext context = (this.contexts != null)
				? this.contexts.open(claim, () -> attempt.stopReason() != null) : null;
		String result = null;
		Throwable failure = null;
		try {
			result = invoke(claim, definition, context);
		}
		catch (Throwable ex) {
			failure = ex;
		}
		StopReason reason = attempt.end();
		if (this.contexts != null && context != null) {
			// The last progress is written before the outcome, so it is kept whatever the outcome.
			this.contexts.close(context);
		}
		this.supervisor.end(attempt);
		AttemptOutcome outcome = AttemptOutcome.LOST;
		boolean batched = false;
		try {
			outcome = recordEnd(claim, reason, definition, failure, result);
			batched = (outcome == AttemptOutcome.SUCCESS && this.completions != null);
		}
		finally {
			if (!batched) {
				// Written, or not writable: either way the heartbeat stops extending its lease.
				this.supervisor.release(claim.id());
			}
			observation.ended(outcome, failure);
		}
		if (outcome.isTerminal() && !batched) {
			this.waiters.finished(claim.id());
		}
	}

	private @Nullable String invoke(ClaimedExecution claim, @Nullable TaskDefinition definition,
			@Nullable DefaultTaskContext context) throws Exception {
		if (definition == null) {
			throw new UnknownTaskException(claim.task());
		}
		// A task without parameters submitted without params (the common case for many small tasks): no parsing.
		Object[] arguments = (definition.parameters().isEmpty() && !definition.acceptsAnyParams()
				&& NO_PARAMS.equals(claim.params())) ? NO_ARGUMENTS
						: this.binder.bind(definition, (ObjectNode) this.mapper.readTree(claim.params()));
		Object result = definition.invoker().invoke(arguments, context);
		return (result != null) ? this.mapper.writeValueAsString(result) : null;
	}

	/**
	 * @return how the attempt ended, as written; {@link AttemptOutcome#LOST} when the claim no longer held
	 */
	private AttemptOutcome recordEnd(ClaimedExecution claim, @Nullable StopReason reason,
			@Nullable TaskDefinition definition, @Nullable Throwable failure, @Nullable String result) {
		if (reason == StopReason.CANCEL) {
			return written(claim, this.store.cancelled(claim), "cancelled", AttemptOutcome.CANCELLED);
		}
		if (reason == StopReason.HAND_BACK) {
			this.store.handBack(claim);
			return AttemptOutcome.HANDED_BACK;
		}
		if (failure == null && reason == null) {
			CompletionBatcher batcher = this.completions;
			if (batcher != null) {
				// Written with the next batch, which also wakes the waiters.
				batcher.complete(new Completion(claim, result));
				return AttemptOutcome.SUCCESS;
			}
			return written(claim, this.store.complete(claim, result), "completed", AttemptOutcome.SUCCESS);
		}
		Throwable cause = (reason == StopReason.TIMEOUT) ? new TaskTimeoutException(claim.task(), claim.attempt(),
				Objects.requireNonNull(Objects.requireNonNull(definition).policy().timeout())) : Objects.requireNonNull(failure);
		ExecutionError error = errorOf(cause);
		if (definition != null && isRetryable(claim, definition.policy(), cause)) {
			Duration delay = RetryBackoff.delay(definition.policy(), claim.attempt(), this.random);
			logger.warn("Attempt " + claim.attempt() + " of " + claim.maxAttempts() + " of execution " + claim.id()
					+ " of task '" + claim.task() + "' failed (" + cause + "); retrying in " + delay);
			TaskStatus status = this.store.retry(claim, error, delay);
			// Cancelling was asked while the attempt ran: it ends there instead of running again.
			return written(claim, status != null, "scheduled for retry",
					(status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED : AttemptOutcome.RETRY);
		}
		logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' failed: " + cause);
		logger.debug("Stack trace of execution " + claim.id(), cause);
		TaskStatus status = this.store.fail(claim, error);
		return written(claim, status != null, "failed", (status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED
				: (reason == StopReason.TIMEOUT) ? AttemptOutcome.TIMEOUT : AttemptOutcome.FAILURE);
	}

	private static boolean isRetryable(ClaimedExecution claim, ExecutionPolicy policy, Throwable cause) {
		return claim.hasAttemptsLeft() && !(cause instanceof InvalidTaskParametersException)
				&& !policy.isNeverRetried(cause);
	}

	private static AttemptOutcome written(ClaimedExecution claim, boolean written, String what,
			AttemptOutcome outcome) {
		if (!written) {
			logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' (attempt " + claim.attempt()
					+ ") is no longer held by node " + claim.node() + "; it was not " + what);
		}
		return written ? outcome : AttemptOutcome.LOST;
	}

	static ExecutionError errorOf(Throwable failure) {
		StringWriter stackTrace = new StringWriter();
		failure.printStackTrace(new PrintWriter(stackTrace));
		return new ExecutionError(failure.getClass().getName(), failure.getMessage(), stackTrace.toString());
	}

}
