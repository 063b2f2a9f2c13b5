package dev.backgroundtasks.execution;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * A batch as stored now.
 *
 * @param id the batch id
 * @param size how many members it has
 * @param counts its members per state: while it is not done, every state that has members, and the three
 * terminal ones always; once it is done, the three terminal ones, as counted when its last member ended
 * (retention may delete members later, the counts stay)
 * @param done whether every member has ended and the callback, if any, is stored
 * @param callbackTask the task of its callback, or {@code null}
 * @param callbackId the callback execution, once stored, or {@code null}
 * @param createdAt when it was stored (database time)
 * @param finishedAt when it was done (database time), or {@code null}
 */
public record BatchState(UUID id, int size, Map<TaskStatus, Integer> counts, boolean done,
		@Nullable String callbackTask, @Nullable UUID callbackId, Instant createdAt, @Nullable Instant finishedAt) {

	public BatchState {
		// In the order of the states, for JSON that reads READY, RUNNING, SUCCESSFUL, FAILED, CANCELLED.
		counts = Collections.unmodifiableMap(new EnumMap<>(counts));
	}

}
