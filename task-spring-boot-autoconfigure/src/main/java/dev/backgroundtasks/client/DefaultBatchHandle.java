package dev.backgroundtasks.client;

import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.BatchState;

/**
 * A {@link BatchHandle} that reads the batch at each call.
 */
final class DefaultBatchHandle implements BatchHandle {

	private final UUID id;

	private final int size;

	private final ExecutionCommands commands;

	DefaultBatchHandle(UUID id, int size, ExecutionCommands commands) {
		this.id = id;
		this.size = size;
		this.commands = commands;
	}

	@Override
	public UUID id() {
		return this.id;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public Map<TaskStatus, Integer> counts() {
		return state().counts();
	}

	@Override
	public boolean isDone() {
		return state().done();
	}

	private BatchState state() {
		BatchState state = this.commands.batch(this.id);
		if (state == null) {
			// Only a transaction of the caller that stored it and then rolled back leaves a handle without a batch.
			throw new IllegalStateException("Batch " + this.id + " is not stored (its transaction rolled back?)");
		}
		return state;
	}

	@Override
	public String toString() {
		return "BatchHandle[" + this.id + ", " + this.size + " members]";
	}

}
