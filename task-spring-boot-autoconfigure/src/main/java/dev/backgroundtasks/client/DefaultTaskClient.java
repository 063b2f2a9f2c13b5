package dev.backgroundtasks.client;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionWaiters;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskParameterBinder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link TaskClient} of this application.
 */
public class DefaultTaskClient implements TaskClient {

	private final ExecutionCommands commands;

	private final ExecutionQueries queries;

	private final ExecutionWaiters waiters;

	private final DefaultTaskRegistry registry;

	private final TaskParameterBinder binder;

	private final JsonMapper mapper;

	public DefaultTaskClient(ExecutionCommands commands, ExecutionQueries queries, ExecutionWaiters waiters,
			DefaultTaskRegistry registry, TaskParameterBinder binder, JsonMapper mapper) {
		this.commands = commands;
		this.queries = queries;
		this.waiters = waiters;
		this.registry = registry;
		this.binder = binder;
		this.mapper = mapper;
	}

	@Override
	public TaskHandle submit(String task, Map<String, ?> params) {
		UUID id = this.commands.submit(task, this.binder.toJson(params), TaskTrigger.CODE);
		return new DefaultTaskHandle(id, task, this);
	}

	@Override
	public TaskHandle handle(UUID id) {
		Execution execution = execution(id).orElseThrow(() -> new ExecutionNotFoundException(id));
		return new DefaultTaskHandle(id, execution.task(), this);
	}

	@Override
	public Optional<Execution> execution(UUID id) {
		return this.queries.find(id);
	}

	ExecutionCommands commands() {
		return this.commands;
	}

	ExecutionWaiters waiters() {
		return this.waiters;
	}

	DefaultTaskRegistry registry() {
		return this.registry;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

}
