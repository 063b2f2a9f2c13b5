package dev.backgroundtasks.web;

import java.util.UUID;

import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.UnknownTaskException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /executions/stream[?task=]}: the execution events of the whole cluster as Server-Sent
 * Events ({@code status}, {@code progress} and {@code custom}), resumable with {@code Last-Event-ID}
 * (or a {@code lastEventId} query parameter, for clients that cannot set headers).
 */
@RestController
@RequestMapping("${background-tasks.web.base-path:/api/v1}")
public class ExecutionStreamController {

	private final TaskRegistry registry;

	private final ExecutionEventStream stream;

	public ExecutionStreamController(TaskRegistry registry, ExecutionEventStream stream) {
		this.registry = registry;
		this.stream = stream;
	}

	@GetMapping(path = "/executions/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String execution,
			@RequestParam(required = false, defaultValue = "false") boolean summary,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
			@RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam) {
		if (task != null && this.registry.find(task).isEmpty()) {
			throw new UnknownTaskException(task);
		}
		UUID executionId = (execution != null) ? TaskQueryController.parseId(execution) : null;
		return this.stream.subscribe(new StreamFilter(task, executionId, summary),
				(lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParam);
	}

}
