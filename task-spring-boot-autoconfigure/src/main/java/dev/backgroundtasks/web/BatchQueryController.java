package dev.backgroundtasks.web;

import java.util.UUID;

import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.BatchState;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads batches: {@code GET {base}/batches/{id}} with their progress. Submitting one is
 * {@link TaskCommandController}'s.
 */
@RestController
@RequestMapping("${background-tasks.web.base-path:/api/v1}")
public class BatchQueryController {

	private final ExecutionCommands commands;

	/**
	 * @param commands reads batches
	 */
	public BatchQueryController(ExecutionCommands commands) {
		this.commands = commands;
	}

	@GetMapping("/batches/{id}")
	BatchResponse batch(@PathVariable String id) {
		UUID batchId = parseId(id);
		BatchState batch = this.commands.batch(batchId);
		if (batch == null) {
			throw new UnknownBatchException(batchId);
		}
		return BatchResponse.of(batch);
	}

	private static UUID parseId(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Batch id must be a UUID, got '" + id + "'");
		}
	}

	/**
	 * No batch has the id.
	 */
	static final class UnknownBatchException extends RuntimeException {

		private final UUID id;

		UnknownBatchException(UUID id) {
			super("No batch with id " + id);
			this.id = id;
		}

		UUID getId() {
			return this.id;
		}

	}

}
