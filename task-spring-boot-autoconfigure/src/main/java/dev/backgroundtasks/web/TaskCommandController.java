package dev.backgroundtasks.web;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.command.BatchSubmission;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.SubmitResult;
import dev.backgroundtasks.execution.BatchState;
import dev.backgroundtasks.execution.ExecutionQueries;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The write side of the REST API: execute a task, submit a batch, cancel or retry an execution. Absent when
 * {@code background-tasks.web.read-only=true}.
 */
@RestController
@RequestMapping("${background-tasks.web.base-path:/api/v1}")
public class TaskCommandController {

	private final TaskRegistry registry;

	private final ExecutionCommands commands;

	private final ExecutionQueries queries;

	private final ExecuteRequestReader requestReader;

	private final BatchRequestReader batchReader;

	private final String basePath;

	/**
	 * @param registry the task registry
	 * @param commands submits and cancels
	 * @param queries reads executions back
	 * @param mapper the application's JSON mapper
	 * @param maxRequestSize the largest accepted request body
	 * @param basePath the base path of the API, for {@code Location} headers
	 */
	public TaskCommandController(TaskRegistry registry, ExecutionCommands commands, ExecutionQueries queries,
			JsonMapper mapper, DataSize maxRequestSize, String basePath) {
		this.registry = registry;
		this.commands = commands;
		this.queries = queries;
		this.requestReader = new ExecuteRequestReader(mapper, maxRequestSize);
		this.batchReader = new BatchRequestReader(this.requestReader, mapper);
		this.basePath = basePath;
	}

	@PostMapping("/tasks/{name}/$execute")
	ResponseEntity<Execution> execute(@PathVariable String name, HttpServletRequest request) throws IOException {
		TaskInfo task = this.registry.find(name).orElseThrow(() -> new UnknownTaskException(name));
		if (!task.remote()) {
			throw new RemoteSubmissionRefusedException(name, "executed");
		}
		SubmitResult result = this.commands.submit(this.requestReader.read(name, request));
		// A new execution is accepted (202); an active one holding the same key is returned as it is (200).
		return ResponseEntity.status(result.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
			.location(location(result.id()))
			.body(read(result.id()));
	}

	/**
	 * Stores a batch: every member and the callback validated first, then all in one transaction.
	 */
	@PostMapping("/batches")
	ResponseEntity<BatchResponse> batch(HttpServletRequest request) throws IOException {
		BatchSubmission batch = this.batchReader.read(request);
		for (int i = 0; i < batch.members().size(); i++) {
			refuseLocalOnly(batch.members().get(i).task(), "submitted in a batch (executions[" + i + "])");
		}
		if (batch.onComplete() != null) {
			refuseLocalOnly(batch.onComplete().task(), "a batch's callback (onComplete)");
		}
		UUID id = this.commands.submitBatch(batch);
		BatchState stored = this.commands.batch(id);
		URI location = ServletUriComponentsBuilder.fromCurrentServletMapping()
			.path(this.basePath)
			.path("/batches/{id}")
			.buildAndExpand(id)
			.toUri();
		return ResponseEntity.accepted()
			.location(location)
			.body((stored != null) ? BatchResponse.of(stored) : new BatchResponse(id, batch.members().size(),
					Map.of(TaskStatus.READY, batch.members().size()), false));
	}

	private void refuseLocalOnly(String task, String what) {
		if (this.registry.find(task).filter((info) -> !info.remote()).isPresent()) {
			throw new RemoteSubmissionRefusedException(task, what);
		}
	}

	@PostMapping("/executions/{id}/$retry")
	ResponseEntity<Execution> retry(@PathVariable String id) {
		UUID failed = TaskQueryController.parseId(id);
		String task = read(failed).task();
		if (this.registry.find(task).filter((info) -> !info.remote()).isPresent()) {
			throw new RemoteSubmissionRefusedException(task, "retried");
		}
		UUID retried = this.commands.retry(failed);
		return ResponseEntity.accepted().location(location(retried)).body(read(retried));
	}

	private URI location(UUID id) {
		return ServletUriComponentsBuilder.fromCurrentServletMapping()
			.path(this.basePath)
			.path("/executions/{id}")
			.buildAndExpand(id)
			.toUri();
	}

	@PostMapping("/executions/{id}/$cancel")
	ResponseEntity<Execution> cancel(@PathVariable String id) {
		UUID executionId = TaskQueryController.parseId(id);
		this.commands.cancel(executionId);
		return ResponseEntity.accepted().body(read(executionId));
	}

	private Execution read(UUID id) {
		return this.queries.find(id).orElseThrow(() -> new ExecutionNotFoundException(id));
	}

}
