package dev.backgroundtasks.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.BackgroundTaskException;
import dev.backgroundtasks.InvalidBatchException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.command.BatchSubmission.Member;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.NewBatch;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskParameter;
import dev.backgroundtasks.registry.TaskParameterBinder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates the members and the callback of a batch as a single submission of each would be validated,
 * naming the member (by index) or the callback in the error, and builds what the store takes; nothing is
 * stored before all pass.
 */
final class BatchMembers {

	/** The param of a callback that holds the batch id. */
	static final String BATCH_ID = "batchId";

	/** The param of a callback that holds the counts per terminal state. */
	static final String COUNTS = "counts";

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final @Nullable TaskEnablement enablement;

	private final JsonMapper mapper;

	private final Map<String, TaskDefinition> definitions = new HashMap<>();

	BatchMembers(DefaultTaskRegistry registry, TaskParameterBinder binder, @Nullable TaskEnablement enablement,
			JsonMapper mapper) {
		this.registry = registry;
		this.binder = binder;
		this.enablement = enablement;
		this.mapper = mapper;
	}

	/**
	 * Validates the batch and builds its rows.
	 * @param batch the batch
	 * @param maxBatchSize the most members it may have
	 * @param traceContext the trace context it is submitted in, or {@code null}
	 * @param submittedBy who submits it, or {@code null}
	 * @return the batch and its members, ready to store
	 * @throws InvalidBatchException naming what is invalid
	 */
	Prepared prepare(BatchSubmission batch, int maxBatchSize, @Nullable String traceContext,
			@Nullable String submittedBy) {
		int size = batch.members().size();
		if (size == 0) {
			throw new InvalidBatchException("A batch needs at least one member");
		}
		if (size > maxBatchSize) {
			throw new InvalidBatchException("A batch has at most " + maxBatchSize + " members (background-tasks."
					+ "queue.max-batch-size), got " + size);
		}
		TaskDefinition[] definitions = new TaskDefinition[size];
		for (int i = 0; i < size; i++) {
			definitions[i] = member(i, batch.members().get(i));
		}
		Member onComplete = batch.onComplete();
		TaskDefinition callback = (onComplete != null) ? callback(onComplete) : null;
		UUID batchId = ExecutionIds.next();
		UUID[] ids = ExecutionIds.next(size);
		List<NewExecution> members = new ArrayList<>(size);
		Map<String, Integer> perTask = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			Member member = batch.members().get(i);
			ExecutionPolicy policy = definitions[i].policy();
			NewExecution execution = new NewExecution(ids[i], member.task(), batch.trigger(), json(member.params()),
					policy.maxAttempts(), policy.concurrency(), 0, null, null, null, null, traceContext, null, null,
					submittedBy);
			members.add(ExecutionCommands.limited(execution, policy, member.params(), this.mapper).inBatch(batchId));
			perTask.merge(member.task(), 1, Integer::sum);
		}
		NewBatch stored = (onComplete == null || callback == null) ? NewBatch.withoutCallback(batchId, batch.trigger())
				: new NewBatch(batchId, batch.trigger(), callback.name(), json(onComplete.params()),
						callback.policy().maxAttempts(), callback.policy().concurrency(), takes(callback, BATCH_ID),
						takes(callback, COUNTS), traceContext, submittedBy);
		return new Prepared(stored, members, perTask);
	}

	/**
	 * @param index the member's index
	 * @param member the member
	 * @return its task
	 * @throws InvalidBatchException naming the member and its problem
	 */
	private TaskDefinition member(int index, Member member) {
		try {
			TaskDefinition definition = definition(member.task());
			this.binder.bind(definition, member.params());
			return definition;
		}
		catch (BackgroundTaskException ex) {
			throw new InvalidBatchException(index, member.task(), ex);
		}
	}

	/**
	 * Validates the callback's own params, with {@code batchId} and {@code counts} filled in as the batch will
	 * fill them (so a required parameter of either is no problem, and one of a type they cannot bind to is).
	 * @param callback the callback
	 * @return its task
	 * @throws InvalidBatchException naming the callback and its problem
	 */
	private TaskDefinition callback(Member callback) {
		try {
			TaskDefinition definition = definition(callback.task());
			for (String name : new String[] { BATCH_ID, COUNTS }) {
				if (callback.params().has(name)) {
					throw new InvalidTaskParametersException(definition.name(), List.of(new ParameterProblem(
							name, "is set by the batch when the callback is stored; leave it out of onComplete's params")));
				}
			}
			ObjectNode params = callback.params().deepCopy();
			if (takes(definition, BATCH_ID)) {
				params.put(BATCH_ID, new UUID(0, 0).toString());
			}
			if (takes(definition, COUNTS)) {
				ObjectNode counts = params.putObject(COUNTS);
				for (TaskStatus status : TaskStatus.values()) {
					if (status.isTerminal()) {
						counts.put(status.name(), 0);
					}
				}
			}
			this.binder.bind(definition, params);
			return definition;
		}
		catch (BackgroundTaskException ex) {
			throw new InvalidBatchException(null, callback.task(), ex);
		}
	}

	/**
	 * @param definition a task
	 * @param name {@link #BATCH_ID} or {@link #COUNTS}
	 * @return whether the task takes a param of that name: it declares it, or takes any params
	 */
	static boolean takes(TaskDefinition definition, String name) {
		return definition.acceptsAnyParams()
				|| definition.parameters().stream().map(TaskParameter::name).anyMatch(name::equals);
	}

	/**
	 * @param params params as a JSON object
	 * @return them as JSON text
	 */
	private String json(ObjectNode params) {
		return params.isEmpty() ? "{}" : this.mapper.writeValueAsString(params);
	}

	/**
	 * A validated batch, ready to store.
	 *
	 * @param batch the batch row
	 * @param members its members, in order
	 * @param perTask how many members each task has
	 */
	record Prepared(NewBatch batch, List<NewExecution> members, Map<String, Integer> perTask) {
	}

	private TaskDefinition definition(String task) {
		TaskDefinition definition = this.definitions.get(task);
		if (definition == null) {
			definition = this.registry.definition(task).orElseThrow(() -> new UnknownTaskException(task));
			if (this.enablement != null) {
				this.enablement.requireEnabled(task);
			}
			this.definitions.put(task, definition);
		}
		return definition;
	}

}
