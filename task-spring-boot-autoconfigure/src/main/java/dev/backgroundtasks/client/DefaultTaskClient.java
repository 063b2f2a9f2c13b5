package dev.backgroundtasks.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskBatch;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskSubmission;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.Submission;
import dev.backgroundtasks.execution.BatchState;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskParameterBinder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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
		return submit(Submission.of(task, this.binder.toJson(params), TaskTrigger.CODE));
	}

	@Override
	public List<TaskHandle> submitAll(String task, List<? extends Map<String, ?>> params) {
		List<UUID> ids = this.commands.submitAll(task, toJson(params), TaskTrigger.CODE);
		List<TaskHandle> handles = new ArrayList<>(ids.size());
		for (UUID id : ids) {
			handles.add(new DefaultTaskHandle(id, task, this));
		}
		return handles;
	}

	/**
	 * Converts each params map, reusing the JSON of the previous item when the map is the same one, or
	 * both are empty: such items validate once (see {@link ExecutionCommands#submitAll}).
	 */
	private List<ObjectNode> toJson(List<? extends Map<String, ?>> params) {
		List<ObjectNode> json = new ArrayList<>(params.size());
		Map<String, ?> previous = null;
		ObjectNode previousJson = null;
		for (Map<String, ?> item : params) {
			if (previousJson == null || (item != previous && !(item.isEmpty() && previous.isEmpty()))) {
				previousJson = this.binder.toJson(item);
			}
			previous = item;
			json.add(previousJson);
		}
		return json;
	}

	@Override
	public TaskSubmission task(String task) {
		return new DefaultTaskSubmission(this, task);
	}

	@Override
	public TaskBatch batch() {
		return new DefaultTaskBatch(this);
	}

	@Override
	public Optional<BatchHandle> batch(UUID id) {
		BatchState batch = this.commands.batch(id);
		return (batch != null) ? Optional.of(new DefaultBatchHandle(id, batch.size(), this.commands)) : Optional.empty();
	}

	@Override
	public TaskHandle retry(UUID id) {
		UUID retried = this.commands.retry(id);
		return new DefaultTaskHandle(retried, execution(retried).map(Execution::task).orElse(""), this);
	}

	TaskHandle submit(Submission submission) {
		return new DefaultTaskHandle(this.commands.submit(submission).id(), submission.task(), this);
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

	TaskParameterBinder binder() {
		return this.binder;
	}

	DefaultTaskRegistry registry() {
		return this.registry;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

}
