package dev.backgroundtasks.execution;

import java.util.List;
import java.util.UUID;

/**
 * Thrown when a submission names executions to wait for that do not exist; nothing is stored. An
 * {@link IllegalArgumentException}, like the other bad options of a submission; the REST API answers 400.
 */
public class UnknownDependencyException extends IllegalArgumentException {

	private final List<UUID> ids;

	/**
	 * @param ids the ids that name no execution
	 */
	public UnknownDependencyException(List<UUID> ids) {
		super("'after' names no execution with id " + ids.stream().map(UUID::toString).reduce((a, b) -> a + ", " + b)
			.orElse("") + ": an execution can wait only for stored executions");
		this.ids = List.copyOf(ids);
	}

	/**
	 * @return the unknown ids
	 */
	public List<UUID> getIds() {
		return this.ids;
	}

}
