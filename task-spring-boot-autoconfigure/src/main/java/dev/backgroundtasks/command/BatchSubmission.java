package dev.backgroundtasks.command;

import java.util.List;

import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request to store a batch, from any entry point.
 *
 * @param members the members, in order
 * @param onComplete the callback, or {@code null} for none
 * @param trigger what submits it; members and callback carry it
 */
public record BatchSubmission(List<Member> members, @Nullable Member onComplete, TaskTrigger trigger) {

	public BatchSubmission {
		members = List.copyOf(members);
	}

	/**
	 * A member, or the callback, of a batch.
	 *
	 * @param task the task name
	 * @param params the params as a JSON object
	 */
	public record Member(String task, ObjectNode params) {
	}

}
