package dev.backgroundtasks.web.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.command.SubmitResult;
import dev.backgroundtasks.command.Submission;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/**
 * The dashboard's task pages: the list, searchable by name and filtered by tags, and one task with its
 * parameters, schedules, limits, retry policy, recent outcomes, its switch, and the "Run now" form.
 */
@Controller
@RequestMapping("${background-tasks.dashboard.path:/background-tasks}")
public class DashboardTaskController {

	private static final int RECENT = 10;

	private final TaskRegistry registry;

	private final @Nullable TaskInfoEnricher enricher;

	private final @Nullable TaskEnablement enablement;

	private final ExecutionCommands commands;

	private final DashboardData data;

	private final JsonMapper mapper;

	private final DashboardView view;

	/**
	 * @param registry the tasks
	 * @param enricher adds schedules' next runs, the switch and the last execution, or {@code null}
	 * @param enablement switches tasks on and off, or {@code null} when tasks cannot be switched
	 * @param commands submits executions
	 * @param data reads executions and statistics
	 * @param mapper builds params from the form
	 * @param view renders the pages
	 */
	public DashboardTaskController(TaskRegistry registry, @Nullable TaskInfoEnricher enricher,
			@Nullable TaskEnablement enablement, ExecutionCommands commands, DashboardData data, JsonMapper mapper,
			DashboardView view) {
		this.registry = registry;
		this.enricher = enricher;
		this.enablement = enablement;
		this.commands = commands;
		this.data = data;
		this.mapper = mapper;
		this.view = view;
	}

	@GetMapping("/tasks")
	ResponseEntity<String> tasks(HttpServletRequest request, @RequestParam(required = false) @Nullable String q,
			@RequestParam(name = "tag", required = false) @Nullable List<String> tags) {
		List<String> chosen = (tags != null) ? tags.stream().map(String::trim).filter((t) -> !t.isEmpty()).toList()
				: List.of();
		String search = (q != null) ? q.strip().toLowerCase(Locale.ROOT) : "";
		List<TaskInfo> all = this.registry.tasks();
		List<TaskInfo> shown = enrich(all.stream()
			.filter((task) -> task.hasAllTags(chosen))
			.filter((task) -> search.isEmpty() || task.name().toLowerCase(Locale.ROOT).contains(search)
					|| task.description().toLowerCase(Locale.ROOT).contains(search))
			.toList());
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("tasks", shown);
		model.put("total", all.size());
		model.put("q", (q != null) ? q : "");
		model.put("allTags", new TreeSet<>(all.stream().flatMap((task) -> task.tags().stream()).toList()));
		model.put("chosenTags", chosen);
		model.put("outcomes", this.data.outcomesPerTask());
		return this.view.page(request, "tasks", model);
	}

	@GetMapping("/tasks/{name}")
	ResponseEntity<String> task(HttpServletRequest request, @PathVariable String name) {
		TaskInfo task = find(name);
		if (task == null) {
			return this.view.notFound(request, "No task is named '" + name + "'", "/tasks", "All tasks");
		}
		return taskPage(request, HttpStatus.OK, task, RunForm.empty(task), null);
	}

	@PostMapping("/tasks/{name}/run")
	ResponseEntity<String> run(HttpServletRequest request, @PathVariable String name,
			@RequestParam MultiValueMap<String, String> form) {
		if (!this.view.mayOperate()) {
			return this.view.forbidden(request);
		}
		TaskInfo task = find(name);
		if (task == null) {
			return this.view.notFound(request, "No task is named '" + name + "'", "/tasks", "All tasks");
		}
		Map<String, String> problems = new LinkedHashMap<>();
		if (!task.remote()) {
			return taskPage(request, HttpStatus.FORBIDDEN, task, RunForm.sent(task, form, problems),
					"This task runs only when the application's own code submits it");
		}
		Submission submission = RunForm.read(task, form, this.mapper, problems);
		if (submission == null) {
			return taskPage(request, HttpStatus.BAD_REQUEST, task, RunForm.sent(task, form, problems),
					problems.getOrDefault("", "Some values cannot be used: see the fields below"));
		}
		try {
			SubmitResult result = this.commands.submit(submission);
			return this.view.redirect(request, "/executions/" + result.id() + (result.created() ? "" : "?existing"));
		}
		catch (InvalidTaskParametersException ex) {
			return taskPage(request, HttpStatus.BAD_REQUEST, task, RunForm.sent(task, form, RunForm.byField(ex.getProblems())),
					"Some values cannot be used: see the fields below");
		}
		catch (TaskDisabledException ex) {
			return taskPage(request, HttpStatus.CONFLICT, task, RunForm.sent(task, form, problems), ex.getMessage());
		}
		catch (QueueFullException ex) {
			return taskPage(request, HttpStatus.TOO_MANY_REQUESTS, task, RunForm.sent(task, form, problems),
					ex.getMessage());
		}
		catch (UnknownTaskException ex) {
			return this.view.notFound(request, ex.getMessage(), "/tasks", "All tasks");
		}
	}

	@PostMapping("/tasks/{name}/enable")
	ResponseEntity<String> enable(HttpServletRequest request, @PathVariable String name) {
		return toggle(request, name, true);
	}

	@PostMapping("/tasks/{name}/disable")
	ResponseEntity<String> disable(HttpServletRequest request, @PathVariable String name) {
		return toggle(request, name, false);
	}

	private ResponseEntity<String> toggle(HttpServletRequest request, String name, boolean enabled) {
		if (!this.view.mayOperate()) {
			return this.view.forbidden(request);
		}
		TaskInfo task = find(name);
		if (task == null) {
			return this.view.notFound(request, "No task is named '" + name + "'", "/tasks", "All tasks");
		}
		if (this.enablement == null) {
			return taskPage(request, HttpStatus.CONFLICT, task, RunForm.empty(task),
					"Tasks cannot be switched on this node");
		}
		if (enabled) {
			this.enablement.enable(name);
		}
		else {
			this.enablement.disable(name);
		}
		return this.view.redirect(request, "/tasks/" + UriUtils.encodePathSegment(name, "UTF-8"));
	}

	private ResponseEntity<String> taskPage(HttpServletRequest request, HttpStatus status, TaskInfo task,
			RunForm form, @Nullable String formError) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("task", enrich(List.of(task)).get(0));
		model.put("form", form);
		model.put("formError", formError);
		model.put("recent", this.data.recent(task.name(), RECENT));
		model.put("outcomes", this.data.outcomesPerTask().get(task.name()));
		model.put("switchable", this.enablement != null);
		model.put("lastScheduled", task.schedules().isEmpty() ? null : this.data.lastScheduled(task.name()).orElse(null));
		return this.view.page(request, status, "task", model);
	}

	private @Nullable TaskInfo find(String name) {
		return this.registry.find(name).orElse(null);
	}

	private List<TaskInfo> enrich(List<TaskInfo> tasks) {
		return (this.enricher != null) ? this.enricher.enrich(tasks) : new ArrayList<>(tasks);
	}

}
