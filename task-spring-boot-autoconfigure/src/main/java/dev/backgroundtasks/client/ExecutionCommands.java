package dev.backgroundtasks.client;

import java.util.UUID;

import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.NewExecution;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskParameterBinder;
import dev.backgroundtasks.schedule.TaskEnablement;
import dev.backgroundtasks.worker.ExecutionDispatcher;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The commands every entry point shares (Java client, REST): submit, which validates params before
 * anything is stored, and cancel.
 */
public class ExecutionCommands {

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final ExecutionStore store;

	private final ExecutionDispatcher dispatcher;

	private final JsonMapper mapper;

	private final @Nullable TaskEnablement enablement;

	public ExecutionCommands(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionDispatcher dispatcher, JsonMapper mapper) {
		this(registry, binder, store, dispatcher, mapper, null);
	}

	/**
	 * @param enablement rejects submissions of disabled tasks; {@code null} accepts every task
	 */
	public ExecutionCommands(DefaultTaskRegistry registry, TaskParameterBinder binder, ExecutionStore store,
			ExecutionDispatcher dispatcher, JsonMapper mapper, @Nullable TaskEnablement enablement) {
		this.registry = registry;
		this.binder = binder;
		this.store = store;
		this.dispatcher = dispatcher;
		this.mapper = mapper;
		this.enablement = enablement;
	}

	/**
	 * Validates and stores a new execution, then dispatches it.
	 * @param task the task name
	 * @param params the params as a JSON object
	 * @param trigger what submits it
	 * @return the new execution's id
	 * @throws UnknownTaskException when no task has that name
	 * @throws InvalidTaskParametersException when the params do not fit the task
	 * @throws TaskDisabledException when the task is disabled
	 */
	public UUID submit(String task, ObjectNode params, TaskTrigger trigger) {
		TaskDefinition definition = this.registry.definition(task).orElseThrow(() -> new UnknownTaskException(task));
		if (this.enablement != null) {
			this.enablement.requireEnabled(task);
		}
		this.binder.bind(definition, params);
		UUID id = ExecutionIds.next();
		this.store.insert(new NewExecution(id, task, trigger, this.mapper.writeValueAsString(params)));
		this.dispatcher.dispatch(id);
		return id;
	}

	/**
	 * Cancels an execution that has not started.
	 * @param id the execution id
	 * @throws ExecutionNotFoundException when there is no such execution
	 * @throws ExecutionConflictException when it is running or finished
	 */
	public void cancel(UUID id) {
		if (this.store.cancel(id)) {
			return;
		}
		TaskStatus status = this.store.status(id);
		if (status == null) {
			throw new ExecutionNotFoundException(id);
		}
		if (status == TaskStatus.CANCELLED) {
			throw new ExecutionConflictException(id, status, "Execution " + id + " is already CANCELLED");
		}
		String why = status.isTerminal() ? "it has already finished" : "only READY executions can be cancelled";
		throw new ExecutionConflictException(id, status,
				"Execution " + id + " is " + status + " and cannot be cancelled: " + why);
	}

}
