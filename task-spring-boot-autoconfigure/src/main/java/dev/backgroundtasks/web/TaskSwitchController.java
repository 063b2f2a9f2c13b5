package dev.backgroundtasks.web;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.TaskInfoEnricher;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enables and disables tasks at runtime, for every node: stored in the database, effective on each
 * node by its next scheduler round. Absent when {@code background-tasks.web.read-only=true}.
 */
@RestController
@RequestMapping("${background-tasks.web.base-path:/api/v1}")
public class TaskSwitchController {

	private final TaskRegistry registry;

	private final TaskEnablement enablement;

	private final TaskInfoEnricher enricher;

	public TaskSwitchController(TaskRegistry registry, TaskEnablement enablement, TaskInfoEnricher enricher) {
		this.registry = registry;
		this.enablement = enablement;
		this.enricher = enricher;
	}

	@PostMapping("/tasks/{name}/$enable")
	TaskInfo enable(@PathVariable String name) {
		TaskInfo task = find(name);
		this.enablement.enable(name);
		return this.enricher.enrich(task);
	}

	@PostMapping("/tasks/{name}/$disable")
	TaskInfo disable(@PathVariable String name) {
		TaskInfo task = find(name);
		this.enablement.disable(name);
		return this.enricher.enrich(task);
	}

	private TaskInfo find(String name) {
		return this.registry.find(name).orElseThrow(() -> new UnknownTaskException(name));
	}

}
