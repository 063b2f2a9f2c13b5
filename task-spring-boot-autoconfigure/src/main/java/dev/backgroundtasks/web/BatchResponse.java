package dev.backgroundtasks.web;

import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.BatchState;

/**
 * A batch as the REST API shows it.
 *
 * @param id the batch id; its members carry it as {@code batchId}
 * @param size how many members it has
 * @param counts its members per state: while it is not done, every state that has members and the three
 * terminal ones always; once done, the three terminal ones as counted when its last member ended
 * @param done whether every member has ended and the callback, if any, is stored
 */
public record BatchResponse(UUID id, int size, Map<TaskStatus, Integer> counts, boolean done) {

	static BatchResponse of(BatchState batch) {
		return new BatchResponse(batch.id(), batch.size(), batch.counts(), batch.done());
	}

}
