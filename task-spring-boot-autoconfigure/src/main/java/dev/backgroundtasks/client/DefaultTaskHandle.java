package dev.backgroundtasks.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.UUID;

import dev.backgroundtasks.AwaitTimeoutException;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionCancelledException;
import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.registry.TaskDefinition;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskHandle} that reads the store on every call.
 */
final class DefaultTaskHandle implements TaskHandle {

	private final UUID id;

	private final String task;

	private final DefaultTaskClient client;

	DefaultTaskHandle(UUID id, String task, DefaultTaskClient client) {
		this.id = id;
		this.task = task;
		this.client = client;
	}

	@Override
	public UUID id() {
		return this.id;
	}

	@Override
	public String task() {
		return this.task;
	}

	@Override
	public TaskStatus status() {
		return execution().status();
	}

	@Override
	public Execution execution() {
		return this.client.execution(this.id).orElseThrow(() -> new ExecutionNotFoundException(this.id));
	}

	@Override
	public @Nullable Object await(Duration timeout) {
		Type resultType = this.client.registry().definition(this.task).map(TaskDefinition::resultType).orElse(null);
		Object result = awaitResult(timeout);
		return (result != null && resultType != null)
				? this.client.mapper().convertValue(result, this.client.mapper().constructType(resultType)) : result;
	}

	@Override
	public <T> @Nullable T await(Duration timeout, Class<T> type) {
		Object result = awaitResult(timeout);
		return (result != null) ? this.client.mapper().convertValue(result, type) : null;
	}

	private @Nullable Object awaitResult(Duration timeout) {
		Execution execution = this.client.waiters()
			.await(this.id, timeout)
			.orElseThrow(() -> new ExecutionNotFoundException(this.id));
		return switch (execution.status()) {
			case SUCCESSFUL -> execution.result();
			case FAILED -> throw new ExecutionFailedException(execution);
			case CANCELLED -> throw new ExecutionCancelledException(execution);
			default -> throw new AwaitTimeoutException(execution, timeout);
		};
	}

	@Override
	public void cancel() {
		this.client.commands().cancel(this.id);
	}

	@Override
	public TaskHandle retry() {
		return this.client.retry(this.id);
	}

	@Override
	public String toString() {
		return "TaskHandle[" + this.task + " " + this.id + "]";
	}

}
