package dev.backgroundtasks.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionPage;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The read side of the REST API: tasks and executions. As the application stops, before the web server's
 * graceful shutdown, the long-polls still open are answered with the execution as it is then, so that
 * they do not hold the shutdown until their wait is over.
 */
@RestController
@RequestMapping("${background-tasks.web.base-path:/api/v1}")
public class TaskQueryController implements SmartLifecycle {

	/**
	 * How much longer than the requested wait a long-poll may stay open: its own async timeout, so the
	 * container's (30 s by default in Tomcat) never ends a longer wait early.
	 */
	private static final long ASYNC_MARGIN_MILLIS = 10_000;

	private static final long DEFAULT_COUNT_LIMIT = 1_000;

	private final TaskRegistry registry;

	private final ExecutionQueries queries;

	private final ExecutionWaiters waiters;

	private final Duration maxWait;

	private final int maxPageSize;

	private final long countLimit;

	private final @Nullable TaskInfoEnricher enricher;

	private final ConnectionLimit longPolls;

	private final Map<DeferredResult<Execution>, UUID> openLongPolls = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile boolean stopped;

	public TaskQueryController(TaskRegistry registry, ExecutionQueries queries, ExecutionWaiters waiters,
			Duration maxWait, int maxPageSize) {
		this(registry, queries, waiters, maxWait, maxPageSize, null);
	}

	/**
	 * @param enricher adds runtime state (enabled, next fire times, last execution) to tasks; {@code null}
	 * shows what the registry knows
	 */
	public TaskQueryController(TaskRegistry registry, ExecutionQueries queries, ExecutionWaiters waiters,
			Duration maxWait, int maxPageSize, @Nullable TaskInfoEnricher enricher) {
		this(registry, queries, waiters, maxWait, maxPageSize, enricher, Integer.MAX_VALUE);
	}

	/**
	 * @param enricher adds runtime state (enabled, next fire times, last execution) to tasks; {@code null}
	 * shows what the registry knows
	 * @param maxLongPolls most long-polls open at once; more are refused ({@code 503})
	 */
	public TaskQueryController(TaskRegistry registry, ExecutionQueries queries, ExecutionWaiters waiters,
			Duration maxWait, int maxPageSize, @Nullable TaskInfoEnricher enricher, int maxLongPolls) {
		this(registry, queries, waiters, maxWait, maxPageSize, enricher, maxLongPolls, DEFAULT_COUNT_LIMIT);
	}

	/**
	 * @param enricher adds runtime state (enabled, next fire times, last execution) to tasks; {@code null}
	 * shows what the registry knows
	 * @param maxLongPolls most long-polls open at once; more are refused ({@code 503})
	 * @param countLimit most executions a listing counts; past it, the page says its total is capped
	 */
	public TaskQueryController(TaskRegistry registry, ExecutionQueries queries, ExecutionWaiters waiters,
			Duration maxWait, int maxPageSize, @Nullable TaskInfoEnricher enricher, int maxLongPolls, long countLimit) {
		if (countLimit < 1) {
			throw new IllegalArgumentException("countLimit must be 1 or more, got " + countLimit);
		}
		this.countLimit = countLimit;
		this.registry = registry;
		this.queries = queries;
		this.waiters = waiters;
		this.maxWait = maxWait;
		this.maxPageSize = maxPageSize;
		this.enricher = enricher;
		this.longPolls = new ConnectionLimit("long-polls", maxLongPolls, "background-tasks.web.max-long-polls");
	}

	@GetMapping("/tasks")
	List<TaskInfo> tasks(@RequestParam(required = false) @Nullable List<String> tags) {
		List<TaskInfo> tasks = this.registry.tasks((tags != null)
				? tags.stream().map(String::trim).filter((t) -> !t.isEmpty()).toList() : List.of());
		return (this.enricher != null) ? this.enricher.enrich(tasks) : tasks;
	}

	@GetMapping("/tasks/{name}")
	TaskInfo task(@PathVariable String name) {
		TaskInfo task = this.registry.find(name).orElseThrow(() -> new UnknownTaskException(name));
		return (this.enricher != null) ? this.enricher.enrich(task) : task;
	}

	/**
	 * A page of executions, newest first. {@code before} is the cursor: the page after it is as cheap at
	 * any depth, where {@code page} skips (and so reads) every row before the page. The total is counted
	 * up to the count limit.
	 */
	@GetMapping("/executions")
	ExecutionPage executions(@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String submittedBy,
			@RequestParam(required = false) @Nullable List<String> tag,
			@RequestParam(required = false) @Nullable String key, @RequestParam(required = false) @Nullable String node,
			@RequestParam(required = false) @Nullable String trigger,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String batchId,
			@RequestParam(required = false) @Nullable String before, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		UUID cursor = (before != null && !before.isBlank()) ? parseCursor(before) : null;
		if (cursor != null && page != 0) {
			throw new InvalidRequestException("Query parameters 'before' and 'page' do not combine: follow the page's"
					+ " 'next' cursor with 'before' instead of counting pages");
		}
		if (page < 0) {
			throw new InvalidRequestException("Query parameter 'page' must be 0 or more, got " + page);
		}
		if (size < 1 || size > this.maxPageSize) {
			throw new InvalidRequestException(
					"Query parameter 'size' must be between 1 and " + this.maxPageSize + ", got " + size);
		}
		ExecutionFilter filter = new ExecutionFilterRequest(task, status, submittedBy, tag, key, node, trigger, from,
				to, batchId)
			.toFilter(this.registry);
		return this.queries.page(filter, cursor, page, size, this.countLimit);
	}

	private static UUID parseCursor(String before) {
		try {
			String trimmed = before.trim();
			// UUID.fromString also takes shortened forms such as 1-2-3-4-5.
			if (trimmed.length() != 36) {
				throw new IllegalArgumentException(trimmed);
			}
			return UUID.fromString(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException(
					"Query parameter 'before' must be an execution id (a UUID, as in a page's 'next'), got '" + before + "'");
		}
	}

	@GetMapping(path = "/executions/{id}", params = "!wait")
	Execution execution(@PathVariable String id) {
		UUID executionId = parseId(id);
		return this.queries.find(executionId).orElseThrow(() -> new ExecutionNotFoundException(executionId));
	}

	/**
	 * The attempts of an execution; an execution that never started has none, an unknown one is a
	 * {@code 404}.
	 */
	@GetMapping("/executions/{id}/attempts")
	List<ExecutionAttempt> attempts(@PathVariable String id) {
		UUID executionId = parseId(id);
		List<ExecutionAttempt> attempts = this.queries.attempts(executionId);
		if (attempts.isEmpty() && this.queries.find(executionId).isEmpty()) {
			throw new ExecutionNotFoundException(executionId);
		}
		return attempts;
	}

	/**
	 * The long-poll: answers when the execution is terminal or the wait is over, and holds no request
	 * thread meanwhile, but a connection: it takes one of the node's long-poll permits until it ends.
	 */
	@GetMapping(path = "/executions/{id}", params = "wait")
	DeferredResult<Execution> awaitExecution(@PathVariable String id, @RequestParam String wait) {
		UUID executionId = parseId(id);
		Duration requested = parseWait(wait);
		// Once the application stops, a long-poll answers at once.
		Duration timeout = this.stopped ? Duration.ZERO : requested;
		ConnectionLimit.Permit permit = this.longPolls.acquire();
		DeferredResult<Execution> response = new DeferredResult<>(timeout.toMillis() + ASYNC_MARGIN_MILLIS);
		this.openLongPolls.put(response, executionId);
		// Runs when the request ends for any reason: answered, timed out, or the client went away.
		response.onCompletion(() -> {
			this.openLongPolls.remove(response);
			permit.release();
		});
		this.waiters.awaitAsync(executionId, timeout).whenComplete((execution, failure) -> {
			if (failure != null) {
				response.setErrorResult(failure);
			}
			else if (execution.isEmpty()) {
				response.setErrorResult(new ExecutionNotFoundException(executionId));
			}
			else {
				response.setResult(execution.get());
			}
		});
		return response;
	}

	static UUID parseId(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("'" + id + "' is not a valid execution id: expected a UUID");
		}
	}

	private Duration parseWait(String wait) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(wait);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException(
					"Query parameter 'wait' must be a duration such as PT10S or 10s, got '" + wait + "'");
		}
		if (duration.isNegative() || duration.compareTo(this.maxWait) > 0) {
			throw new InvalidRequestException("Query parameter 'wait' must be between 0 and " + this.maxWait
					+ " (background-tasks.web.max-wait), got " + wait);
		}
		return duration;
	}

	/**
	 * @return how many long-polls this node holds open now
	 */
	public int getOpenLongPolls() {
		return this.openLongPolls.size();
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Answers every open long-poll with the execution as it is now (the answer a wait that is over gets).
	 */
	@Override
	public void stop() {
		this.running = false;
		this.stopped = true;
		this.openLongPolls.forEach((response, id) -> {
			try {
				this.queries.find(id).ifPresent(response::setResult);
			}
			catch (RuntimeException ex) {
				response.setErrorResult(ex);
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
