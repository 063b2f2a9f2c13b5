package dev.backgroundtasks.web.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.BackgroundTaskException;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.BatchState;
import dev.backgroundtasks.execution.ExecutionFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard's execution pages: the filtered, paged list with bulk cancel and retry, and one
 * execution with its attempts, cancel and retry.
 */
@Controller
@RequestMapping("${background-tasks.dashboard.path:/background-tasks}")
public class DashboardExecutionController {

	private static final int PAGE_SIZE = 25;

	private final TaskRegistry registry;

	private final ExecutionCommands commands;

	private final DashboardData data;

	private final DashboardView view;

	private final BulkActions bulk;

	/**
	 * @param registry the tasks
	 * @param commands cancels and retries
	 * @param data reads executions
	 * @param view renders the pages
	 * @param maxBulk the most executions one bulk action acts on
	 */
	public DashboardExecutionController(TaskRegistry registry, ExecutionCommands commands, DashboardData data,
			DashboardView view, int maxBulk) {
		this.registry = registry;
		this.commands = commands;
		this.data = data;
		this.view = view;
		this.bulk = new BulkActions(registry, commands, data, maxBulk);
	}

	@GetMapping("/executions")
	ResponseEntity<String> executions(HttpServletRequest request, @RequestParam MultiValueMap<String, String> query) {
		String idText = query.getFirst("id");
		UUID id = ExecutionSearch.id(idText);
		if (id != null && this.data.execution(id).isPresent()) {
			return this.view.redirect(request, "/executions/" + id);
		}
		ExecutionSearch search = ExecutionSearch.of(query, this.registry);
		if (idText != null && !idText.isBlank()) {
			search.problems().put("id", (id != null) ? "No execution has the id " + id : "'" + idText.strip()
					+ "' is not an execution id (a UUID such as 0192b4e1-7c3a-7def-8a41-3f5e2c1d9b80)");
		}
		int page = Math.max(0, pageNumber(query.getFirst("page")));
		DashboardData.Slice slice = this.data.page(search.filter(), page, PAGE_SIZE);
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("search", search);
		model.put("idText", (idText != null) ? idText : "");
		model.put("slice", slice);
		model.put("page", page);
		model.put("pageSize", PAGE_SIZE);
		model.put("tasks", this.registry.tasks().stream().map(TaskInfo::name).sorted().toList());
		model.put("tags", this.registry.tasks().stream().flatMap((t) -> t.tags().stream()).distinct().sorted().toList());
		model.put("statuses", TaskStatus.values());
		model.put("triggers", TaskTrigger.values());
		return this.view.page(request, search.problems().isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST,
				"executions", model);
	}

	@GetMapping("/executions/{id}")
	ResponseEntity<String> execution(HttpServletRequest request, @PathVariable String id) {
		UUID executionId = ExecutionSearch.id(id);
		Execution execution = (executionId != null) ? this.data.execution(executionId).orElse(null) : null;
		if (execution == null) {
			return this.view.notFound(request, (executionId != null) ? "No execution has the id " + executionId
					: "'" + id + "' is not an execution id", "/executions", "All executions");
		}
		return executionPage(request, HttpStatus.OK, execution, request.getParameter("existing") != null
				? "An active execution with the same key already exists: this is it" : null, null);
	}

	@PostMapping("/executions/{id}/cancel")
	ResponseEntity<String> cancel(HttpServletRequest request, @PathVariable String id) {
		return act(request, id, false);
	}

	@PostMapping("/executions/{id}/retry")
	ResponseEntity<String> retry(HttpServletRequest request, @PathVariable String id) {
		return act(request, id, true);
	}

	private ResponseEntity<String> act(HttpServletRequest request, String id, boolean retry) {
		if (!this.view.mayOperate()) {
			return this.view.forbidden(request);
		}
		UUID executionId = ExecutionSearch.id(id);
		Execution execution = (executionId != null) ? this.data.execution(executionId).orElse(null) : null;
		if (execution == null) {
			return this.view.notFound(request, "No execution has the id " + id, "/executions", "All executions");
		}
		try {
			if (retry) {
				BulkActions.requireRemote(this.registry, execution);
				return this.view.redirect(request, "/executions/" + this.commands.retry(execution.id()));
			}
			this.commands.cancel(execution.id());
			return this.view.redirect(request, "/executions/" + execution.id());
		}
		catch (BackgroundTaskException ex) {
			Execution now = this.data.execution(execution.id()).orElse(execution);
			return executionPage(request, HttpStatus.CONFLICT, now, null, ex.getMessage());
		}
	}

	@PostMapping("/executions/bulk")
	ResponseEntity<String> bulk(HttpServletRequest request, @RequestParam MultiValueMap<String, String> form) {
		if (!this.view.mayOperate()) {
			return this.view.forbidden(request);
		}
		BulkActions.Request bulkRequest = BulkActions.Request.of(form, this.registry);
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("bulk", bulkRequest);
		if (bulkRequest.problem() != null) {
			model.put("problem", bulkRequest.problem());
			return this.view.page(request, HttpStatus.BAD_REQUEST, "bulk", model);
		}
		List<UUID> ids = this.bulk.targets(bulkRequest);
		model.put("count", ids.size());
		model.put("max", this.bulk.max());
		if (ids.size() > this.bulk.max()) {
			model.put("problem", "More than " + this.bulk.max() + " executions match: narrow the filter"
					+ " (background-tasks.dashboard.max-bulk)");
			return this.view.page(request, HttpStatus.BAD_REQUEST, "bulk", model);
		}
		if (!"true".equals(form.getFirst("confirm"))) {
			return this.view.page(request, "bulk", model);
		}
		model.put("result", this.bulk.apply(bulkRequest, ids));
		return this.view.page(request, "bulk", model);
	}

	private ResponseEntity<String> executionPage(HttpServletRequest request, HttpStatus status, Execution execution,
			@Nullable String notice, @Nullable String problem) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("e", execution);
		model.put("attempts", this.data.attempts(execution.id()));
		model.put("task", this.registry.find(execution.task()).orElse(null));
		model.put("retryable", execution.status() == TaskStatus.FAILED || execution.status() == TaskStatus.CANCELLED);
		model.put("cancellable", execution.status() == TaskStatus.WAITING || execution.status() == TaskStatus.READY
				|| execution.status() == TaskStatus.RUNNING);
		model.put("notice", notice);
		model.put("problem", problem);
		BatchState batch = (execution.batchId() != null) ? this.commands.batch(execution.batchId()) : null;
		model.put("batch", batch);
		model.put("batchEnded", (batch != null) ? ended(batch) : 0);
		return this.view.page(request, status, "execution", model);
	}

	/**
	 * A batch: its progress, its callback, and a link to its members.
	 */
	@GetMapping("/batches/{id}")
	ResponseEntity<String> batch(HttpServletRequest request, @PathVariable String id) {
		UUID batchId = ExecutionSearch.id(id);
		BatchState batch = (batchId != null) ? this.commands.batch(batchId) : null;
		if (batch == null) {
			return this.view.notFound(request, (batchId != null) ? "No batch has the id " + batchId
					: "'" + id + "' is not a batch id", "/executions", "All executions");
		}
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("batch", batch);
		model.put("ended", ended(batch));
		model.put("members", this.data.page(ExecutionFilter.all().withBatchId(batch.id()), 0, PAGE_SIZE));
		return this.view.page(request, "batch", model);
	}

	private static int ended(BatchState batch) {
		return batch.counts()
			.entrySet()
			.stream()
			.filter((count) -> count.getKey().isTerminal())
			.mapToInt(Map.Entry::getValue)
			.sum();
	}

	private static int pageNumber(@Nullable String text) {
		if (text == null) {
			return 0;
		}
		try {
			return Math.min(Integer.parseInt(text.strip()), 1_000_000);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
