package dev.backgroundtasks.command;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.BatchState;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.execution.PartitionKeys;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.RateLimit;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.support.CurrentPrincipal;
import dev.backgroundtasks.support.ExecutionObserver;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The commands every entry point shares (Java client, REST): submit, which validates params before
 * anything is stored; cancel; retry.
 */
public class ExecutionCommands {

	private static final String NO_PARAMS = "{}";

	/** The default of {@code background-tasks.queue.max-batch-size}. */
	public static final int DEFAULT_MAX_BATCH_SIZE = 10_000;

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final ExecutionStore store;

	private final ExecutionQueries queries;

	private final ExecutionDispatcher dispatcher;

	private final QueueCapacity capacity;

	private final JsonMapper mapper;

	private final @Nullable TaskEnablement enablement;

	private final ExecutionObserver observer;

	private final CurrentPrincipal principal;

	private final int maxBatchSize;

	private final CoalescedInserts coalesced;

	public ExecutionCommands(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionQueries queries, ExecutionDispatcher dispatcher, long queueCapacity, JsonMapper mapper,
			@Nullable TaskEnablement enablement, ExecutionObserver observer) {
		this(registry, binder, store, queries, dispatcher, queueCapacity, mapper, enablement, observer,
				CurrentPrincipal.NONE);
	}

	/**
	 * Commands that accept batches of up to {@link #DEFAULT_MAX_BATCH_SIZE} members.
	 * @see #ExecutionCommands(DefaultTaskRegistry, TaskParameterBinder, ExecutionStore, ExecutionQueries,
	 * ExecutionDispatcher, long, JsonMapper, TaskEnablement, ExecutionObserver, CurrentPrincipal, int)
	 */
	public ExecutionCommands(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionQueries queries, ExecutionDispatcher dispatcher, long queueCapacity, JsonMapper mapper,
			@Nullable TaskEnablement enablement, ExecutionObserver observer, CurrentPrincipal principal) {
		this(registry, binder, store, queries, dispatcher, queueCapacity, mapper, enablement, observer, principal,
				DEFAULT_MAX_BATCH_SIZE);
	}

	/**
	 * @param registry the registered tasks
	 * @param binder validates params against each task's parameters
	 * @param store stores executions
	 * @param queries reads executions back, for retries
	 * @param dispatcher what happens right after a submission is stored
	 * @param queueCapacity the most {@code READY} executions accepted; 0 for no limit
	 * @param mapper writes params as JSON
	 * @param enablement whether each task may be submitted, or {@code null} when every task may
	 * @param observer told about every submission
	 * @param principal who submits or cancels, recorded with the execution
	 * @param maxBatchSize the most members a batch may have
	 */
	public ExecutionCommands(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionQueries queries, ExecutionDispatcher dispatcher, long queueCapacity, JsonMapper mapper,
			@Nullable TaskEnablement enablement, ExecutionObserver observer, CurrentPrincipal principal,
			int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
		this.principal = principal;
		this.observer = observer;
		this.registry = registry;
		this.binder = binder;
		this.store = store;
		this.coalesced = new CoalescedInserts(store);
		this.queries = queries;
		this.dispatcher = dispatcher;
		this.capacity = new QueueCapacity(store, queueCapacity);
		this.mapper = mapper;
		this.enablement = enablement;
	}

	/**
	 * Validates and stores a new execution, then dispatches it.
	 * @param submission what to store
	 * @return the stored execution's id, and whether it is new
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException when the params do not fit the task
	 * @throws QueueFullException when the queue is at capacity
	 * @throws TaskDisabledException when the task is disabled
	 */
	public SubmitResult submit(Submission submission) {
		String task = submission.task();
		TaskDefinition definition = this.registry.definition(task).orElseThrow(() -> new UnknownTaskException(task));
		if (this.enablement != null) {
			this.enablement.requireEnabled(task);
		}
		this.binder.bind(definition, submission.params());
		this.capacity.check();
		ExecutionPolicy policy = definition.policy();
		UUID id = ExecutionIds.next();
		NewExecution execution = limited(new NewExecution(id, task, submission.trigger(),
				json(submission.params()), policy.maxAttempts(), policy.concurrency(),
				submission.priority(), submission.runAt(), submission.delay(), submission.key(), submission.retryOf(),
				this.observer.traceContext(), null, null, this.principal.name()), policy, submission.params())
			.after(submission.after());
		if (startHere(execution)) {
			this.capacity.added();
			this.observer.submitted(task, submission.trigger());
			return new SubmitResult(id, true);
		}
		if (execution.isPlainDueNow() && !TransactionSynchronizationManager.isSynchronizationActive()) {
			// Nothing but an insert, in no transaction of the caller's: stored with the submissions other
			// threads make meanwhile, in one statement, when there are any.
			this.coalesced.insert(execution);
		}
		else {
			UUID stored = this.store.insert(execution);
			if (!stored.equals(id)) {
				return new SubmitResult(stored, false);
			}
		}
		if (submission.after().isEmpty()) {
			// One that waits is not READY: the next count of the queue sees it once it is.
			this.capacity.added();
		}
		this.observer.submitted(task, submission.trigger());
		this.dispatcher.dispatch(id);
		return new SubmitResult(id, true);
	}

	/**
	 * @return the execution with its task's flow limits, and the partition its params put it in
	 */
	private NewExecution limited(NewExecution execution, ExecutionPolicy policy, ObjectNode params) {
		return limited(execution, policy, params, this.mapper);
	}

	/**
	 * @param execution an execution of a task with that policy
	 * @param policy its task's policy
	 * @param params its params
	 * @param mapper writes the partition's value
	 * @return the execution with its task's limits (concurrency, partition, rate) on it, as every node claims
	 * by what its row holds
	 */
	static NewExecution limited(NewExecution execution, ExecutionPolicy policy, ObjectNode params, JsonMapper mapper) {
		RateLimit rate = policy.rate();
		if (!policy.isLimited()) {
			return execution;
		}
		String partition = PartitionKeys.WHOLE_TASK;
		if (policy.partitionBy() != null) {
			JsonNode value = params.get(policy.partitionBy());
			partition = PartitionKeys.of((value == null) ? null : mapper.writeValueAsString(value));
		}
		return execution.withLimits(policy.concurrency(), partition, (rate != null) ? rate.count() : 0,
				(rate != null) ? rate.period().toMillis() : 0);
	}

	private String json(ObjectNode params) {
		return params.isEmpty() ? NO_PARAMS : this.mapper.writeValueAsString(params);
	}

	/**
	 * Stores the execution claimed by this node and starts it on an idle worker thread, when that cannot
	 * change what happens: due now, no key, no concurrency or rate limit (a limited execution's
	 * {@code maxConcurrency} is above 0), and no transaction of the caller (which
	 * could still roll back, or outlast the lease).
	 * @return whether it was stored and started
	 */
	private boolean startHere(NewExecution execution) {
		LocalStart local = this.dispatcher.localStart();
		if (local == null || !execution.isPlainDueNow()
				|| execution.maxConcurrency() > 0 || TransactionSynchronizationManager.isActualTransactionActive()
				|| !local.reserve()) {
			return false;
		}
		ClaimedExecution claim;
		try {
			claim = this.store.insertClaimed(execution, local.node(), local.lease());
		}
		catch (RuntimeException ex) {
			local.release();
			throw ex;
		}
		local.start(claim);
		return true;
	}

	/**
	 * Validates every params object, then stores all executions in one batch and wakes workers once.
	 * @param task the task name
	 * @param params one params object per execution
	 * @param trigger what submits them
	 * @return the new executions' ids, in order
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException naming the first invalid params, by index; nothing is stored
	 * @throws QueueFullException when the queue is at capacity
	 * @throws TaskDisabledException when the task is disabled
	 */
	public List<UUID> submitAll(String task, List<ObjectNode> params, TaskTrigger trigger) {
		TaskDefinition definition = this.registry.definition(task).orElseThrow(() -> new UnknownTaskException(task));
		if (this.enablement != null) {
			this.enablement.requireEnabled(task);
		}
		String[] json = validatedJson(definition, params);
		this.capacity.check();
		ExecutionPolicy policy = definition.policy();
		String traceContext = this.observer.traceContext();
		String submittedBy = this.principal.name();
		UUID[] ids = ExecutionIds.next(params.size());
		List<NewExecution> executions = new ArrayList<>(ids.length);
		for (int i = 0; i < ids.length; i++) {
			executions.add(limited(new NewExecution(ids[i], task, trigger, json[i], policy.maxAttempts(),
					policy.concurrency(), 0, null, null, null, null, traceContext, null, null, submittedBy), policy,
					params.get(i)));
		}
		this.store.insertAll(executions);
		List<UUID> stored = List.of(ids);
		this.capacity.added(ids.length);
		this.observer.submitted(task, trigger, ids.length);
		this.dispatcher.dispatchAll(stored);
		return stored;
	}

	/**
	 * Validates every member and the callback of a batch, then stores the batch with all its members in one
	 * transaction (the caller's, if there is one) and dispatches the members.
	 * @param batch the batch
	 * @return the batch id
	 * @throws InvalidBatchException naming the first invalid member (by index) or the callback, or when the
	 * batch is empty or larger than the limit; nothing is stored
	 * @throws QueueFullException when the queue is at capacity
	 */
	public UUID submitBatch(BatchSubmission batch) {
		BatchMembers.Prepared prepared = new BatchMembers(this.registry, this.binder, this.enablement, this.mapper)
			.prepare(batch, this.maxBatchSize, this.observer.traceContext(), this.principal.name());
		this.capacity.check();
		this.store.insertBatch(prepared.batch(), prepared.members());
		this.capacity.added(prepared.members().size());
		prepared.perTask().forEach((task, count) -> this.observer.submitted(task, batch.trigger(), count));
		this.dispatcher.dispatchAll(prepared.members().stream().map(NewExecution::id).toList());
		return prepared.batch().id();
	}
	/**
	 * Reads a batch.
	 * @param id the batch id
	 * @return the batch with its counts, or {@code null} when there is no such batch
	 */
	public @Nullable BatchState batch(UUID id) {
		return this.store.batch(id);
	}

	/**
	 * Binds each params object, and writes it as JSON text. A run of the same object (a list of one
	 * shared map, say) is bound and written once: binding depends on nothing else.
	 */
	private String[] validatedJson(TaskDefinition definition, List<ObjectNode> params) {
		String[] json = new String[params.size()];
		ObjectNode previous = null;
		for (int i = 0; i < json.length; i++) {
			ObjectNode item = params.get(i);
			if (item == previous) {
				json[i] = json[i - 1];
				continue;
			}
			try {
				this.binder.bind(definition, item);
			}
			catch (InvalidTaskParametersException ex) {
				String index = "[" + i + "].";
				throw new InvalidTaskParametersException(definition.name(), ex.getProblems()
					.stream()
					.map((problem) -> new ParameterProblem(index + problem.parameter(), problem.problem()))
					.toList());
			}
			json[i] = json(item);
			previous = item;
		}
		return json;
	}

	/**
	 * Submits an execution that needs only a task name, params and trigger.
	 * @param task the task name
	 * @param params the params
	 * @param trigger what submits it
	 * @return the new execution's id
	 */
	public UUID submit(String task, ObjectNode params, TaskTrigger trigger) {
		return submit(Submission.of(task, params, trigger)).id();
	}

	/**
	 * Cancels an execution: a {@code READY} one at once, a {@code RUNNING} one by flagging it for the
	 * node that runs it.
	 * @param id the execution id
	 * @throws ExecutionNotFoundException when there is no such execution
	 * @throws ExecutionConflictException when it has finished
	 */
	public void cancel(UUID id) {
		String by = this.principal.name();
		if (this.store.cancel(id, by) || this.store.requestCancel(id, by)) {
			return;
		}
		TaskStatus status = this.store.status(id);
		if (status == null) {
			throw new ExecutionNotFoundException(id);
		}
		if (status == TaskStatus.WAITING || status == TaskStatus.READY || status == TaskStatus.RUNNING) {
			// It moved between the two statements: try once more from its new state.
			cancel(id);
			return;
		}
		throw new ExecutionConflictException(id, status, "Execution " + id + " is " + status
				+ ((status == TaskStatus.CANCELLED) ? " already" : " and cannot be cancelled: it has already finished"));
	}

	/**
	 * Submits a new execution like a {@code FAILED} or {@code CANCELLED} one.
	 * @param id the execution to retry
	 * @return the new execution's id
	 */
	public UUID retry(UUID id) {
		Execution execution = this.queries.find(id).orElseThrow(() -> new ExecutionNotFoundException(id));
		if (execution.status() != TaskStatus.FAILED && execution.status() != TaskStatus.CANCELLED) {
			throw new ExecutionConflictException(id, execution.status(), "Execution " + id + " is "
					+ execution.status() + "; only FAILED or CANCELLED executions can be retried");
		}
		ObjectNode params = this.mapper.valueToTree(execution.params());
		return submit(new Submission(execution.task(), params, TaskTrigger.RETRY, execution.priority(), null, null,
				execution.key(), id)).id();
	}

}
