package dev.backgroundtasks.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskSnoozedException;
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

	/**
	 * How soon an execution this node could not run is due again, for another node.
	 */
	static final Duration UNBOUND_RETRY_DELAY = Duration.ofSeconds(5);

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

	private final Duration unboundGrace;

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
		this(registry, binder, store, waiters, supervisor, mapper, observer, contexts, completions,
				Duration.ofMinutes(10));
	}

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
	 * @param unboundGrace how long an execution whose task no node knows or whose params no node can bind
	 * is handed back before it fails
	 */
	public ExecutionRunner(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			FinishedExecutions waiters, AttemptSupervisor supervisor, JsonMapper mapper, ExecutionObserver observer,
			@Nullable AttemptContexts contexts, @Nullable CompletionBatcher completions, Duration unboundGrace) {
		this.unboundGrace = unboundGrace;
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
	 * Runs a claimed execution and records its outcome, trying the write again until it succeeds while the
	 * node runs (see {@link WriteRetries}).
	 * @param claim the claim
	 * @return how the attempt ended: {@link AttemptOutcome#SUCCESS} for a success left to the batch writer,
	 * {@link AttemptOutcome#LOST} when it did not start or its end was not written
	 */
	public AttemptOutcome run(ClaimedExecution claim) {
		UUID id = claim.id();
		if (!this.supervisor.awaitStartable(id)) {
			// It waited in the local queue while its lease could not be extended: another node may already
			// run it. Its lease expires and any node recovers it.
			logger.warn("Execution " + id + " of task '" + claim.task() + "' was not started by node " + claim.node()
					+ ": its lease could not be extended while it waited for a thread");
			this.supervisor.release(id);
			return AttemptOutcome.LOST;
		}
		TaskDefinition definition = this.registry.definition(claim.task()).orElse(null);
		ExecutionObserver.AttemptObservation observation = this.observer.attemptStarted(claim);
		Object[] arguments;
		try {
			if (this.supervisor.isCancelRequested(id)) {
				// Cancelled while it waited in the local queue: it never starts.
				AttemptOutcome cancelled = writeCancelled(claim);
				ended(claim, observation, cancelled, null);
				return cancelled;
			}
			arguments = bind(claim, definition);
		}
		catch (UnknownTaskException | InvalidTaskParametersException ex) {
			// Another version's execution: another node may know the task or bind the params.
			AttemptOutcome handedBack = handBackUnbound(claim, ex);
			ended(claim, observation, handedBack, ex);
			return handedBack;
		}
		catch (RuntimeException ex) {
			// Params that are not even JSON: a failure of this attempt.
			AttemptOutcome outcome = AttemptOutcome.LOST;
			try {
				outcome = recordEnd(claim, null, Objects.requireNonNull(definition), ex, null);
			}
			finally {
				ended(claim, observation, outcome, ex);
			}
			return outcome;
		}
		Duration timeout = Objects.requireNonNull(Objects.requireNonNull(definition).policy().timeout());
		RunningAttempt attempt = this.supervisor.begin(claim, timeout);
		DefaultTaskContext context = (this.contexts != null)
				? this.contexts.open(claim, () -> attempt.stopReason() != null) : null;
		String result = null;
		Throwable failure = null;
		try {
			result = invoke(definition, arguments, context);
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
		if (failure == null && reason != StopReason.CANCEL && reason != StopReason.TIMEOUT
				&& this.completions != null) {
			// Written with the next batch, which also ends the observation and wakes the waiters. The task
			// returned: a hand-back or a lost lease asked too late to stop it changes nothing.
			observation.leftThread();
			this.completions.complete(new Completion(claim, result), observation);
			return AttemptOutcome.SUCCESS;
		}
		AttemptOutcome outcome = AttemptOutcome.LOST;
		try {
			outcome = recordEnd(claim, reason, definition, failure, result);
		}
		finally {
			ended(claim, observation, outcome, failure);
		}
		return outcome;
	}

	/**
	 * Ends an attempt whose outcome was written, or could not be: the heartbeat stops extending its lease,
	 * the observers learn the outcome, and waiters for its end are woken when it ended.
	 */
	private void ended(ClaimedExecution claim, ExecutionObserver.AttemptObservation observation,
			AttemptOutcome outcome, @Nullable Throwable failure) {
		this.supervisor.release(claim.id());
		observation.ended(outcome, failure);
		if (outcome.isTerminal()) {
			this.waiters.finished(claim.id());
		}
	}

	private Object[] bind(ClaimedExecution claim, @Nullable TaskDefinition definition) {
		if (definition == null) {
			throw new UnknownTaskException(claim.task());
		}
		// A task without parameters submitted without params (the common case for many small tasks): no parsing.
		if (definition.parameters().isEmpty() && !definition.acceptsAnyParams() && NO_PARAMS.equals(claim.params())) {
			return NO_ARGUMENTS;
		}
		return this.binder.bind(definition, (ObjectNode) this.mapper.readTree(claim.params()));
	}

	private @Nullable String invoke(TaskDefinition definition, Object[] arguments,
			@Nullable DefaultTaskContext context) throws Exception {
		Object result = definition.invoker().invoke(arguments, context);
		return (result != null) ? this.mapper.writeValueAsString(result) : null;
	}

	private AttemptOutcome handBackUnbound(ClaimedExecution claim, RuntimeException cause) {
		Duration delay = (this.unboundGrace.compareTo(UNBOUND_RETRY_DELAY) < 0) ? this.unboundGrace
				: UNBOUND_RETRY_DELAY;
		logger.warn("Node " + claim.node() + " cannot run execution " + claim.id() + " of task '" + claim.task()
				+ "' (" + cause.getMessage() + "); handing it back for another node, its attempt not counted");
		TaskStatus status = write(claim, "its hand-back",
				() -> this.store.handBackUnbound(claim, errorOf(cause), delay, this.unboundGrace));
		if (status == null) {
			return written(claim, false, "handed back", AttemptOutcome.LOST);
		}
		return switch (status) {
			case FAILED -> AttemptOutcome.FAILURE;
			case CANCELLED -> AttemptOutcome.CANCELLED;
			default -> AttemptOutcome.HANDED_BACK;
		};
	}

	/**
	 * @return how the attempt ended, as written; {@link AttemptOutcome#LOST} when the claim no longer held
	 */
	private AttemptOutcome recordEnd(ClaimedExecution claim, @Nullable StopReason reason,
			TaskDefinition definition, @Nullable Throwable failure, @Nullable String result) {
		if (reason == StopReason.CANCEL) {
			return writeCancelled(claim);
		}
		if (failure == null && reason != StopReason.TIMEOUT) {
			return write(claim, "its success",
					() -> written(claim, this.store.complete(claim, result), "completed", AttemptOutcome.SUCCESS));
		}
		if (reason == StopReason.HAND_BACK) {
			TaskStatus status = write(claim, "its hand-back", () -> this.store.handBack(claim));
			return (status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED
					: written(claim, status != null, "handed back", AttemptOutcome.HANDED_BACK);
		}
		if (reason == StopReason.LEASE_LOST) {
			// Not this node's to end: its lease expiry counts the attempt, on whichever node recovers it.
			logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' (attempt " + claim.attempt()
					+ ") stopped on node " + claim.node() + " after its lease was lost; nothing written");
			return AttemptOutcome.LOST;
		}
		if (reason != StopReason.TIMEOUT && failure instanceof TaskSnoozedException snooze) {
			logger.debug("Execution " + claim.id() + " of task '" + claim.task() + "' (attempt " + claim.attempt()
					+ ") " + snooze.getMessage());
			TaskStatus status = write(claim, "its snooze", () -> this.store.snooze(claim, snooze.getDelay()));
			return written(claim, status != null, "snoozed",
					(status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED : AttemptOutcome.SNOOZED);
		}
		Throwable cause = (reason == StopReason.TIMEOUT) ? new TaskTimeoutException(claim.task(), claim.attempt(),
				Objects.requireNonNull(definition.policy().timeout())) : Objects.requireNonNull(failure);
		ExecutionError error = errorOf(cause);
		if (isRetryable(claim, definition.policy(), cause)) {
			Duration delay = RetryBackoff.delay(definition.policy(), claim.attempt(), this.random);
			logger.warn("Attempt " + claim.attempt() + " of " + claim.maxAttempts() + " of execution " + claim.id()
					+ " of task '" + claim.task() + "' failed (" + cause + "); retrying in " + delay);
			TaskStatus status = write(claim, "its retry", () -> this.store.retry(claim, error, delay));
			// Cancelling was asked while the attempt ran: it ends there instead of running again.
			return written(claim, status != null, "scheduled for retry",
					(status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED : AttemptOutcome.RETRY);
		}
		logger.warn("Execution " + claim.id() + " of task '" + claim.task() + "' failed: " + cause);
		logger.debug("Stack trace of execution " + claim.id(), cause);
		TaskStatus status = write(claim, "its failure", () -> this.store.fail(claim, error));
		return written(claim, status != null, "failed", (status == TaskStatus.CANCELLED) ? AttemptOutcome.CANCELLED
				: (reason == StopReason.TIMEOUT) ? AttemptOutcome.TIMEOUT : AttemptOutcome.FAILURE);
	}

	private AttemptOutcome writeCancelled(ClaimedExecution claim) {
		return write(claim, "its cancellation",
				() -> written(claim, this.store.cancelled(claim), "cancelled", AttemptOutcome.CANCELLED));
	}

	private static <T> T write(ClaimedExecution claim, String what, Supplier<T> write) {
		return WriteRetries.untilWritten("the end of attempt " + claim.attempt() + " of execution " + claim.id()
				+ " (" + what + ")", write);
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
