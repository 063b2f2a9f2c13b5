package dev.backgroundtasks.web.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.backgroundtasks.BackgroundTaskException;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionConflictException;
import dev.backgroundtasks.ExecutionNotFoundException;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.command.ExecutionCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

/**
 * Cancels or retries many executions: those selected on a page, or every execution matching the page's
 * filters, bounded so that one click never acts on more than the configured number. Each execution is
 * acted on by itself, as the REST API would; one that cannot be (it finished meanwhile, it is not
 * failed) is skipped and reported, never the reason the others are not done.
 */
final class BulkActions {

	private static final int REPORTED = 20;

	private final TaskRegistry registry;

	private final ExecutionCommands commands;

	private final DashboardData data;

	private final int max;

	BulkActions(TaskRegistry registry, ExecutionCommands commands, DashboardData data, int max) {
		this.registry = registry;
		this.commands = commands;
		this.data = data;
		this.max = max;
	}

	int max() {
		return this.max;
	}

	/**
	 * @param request what to act on
	 * @return the executions to act on; one more than the bound when there are too many
	 */
	List<UUID> targets(Request request) {
		if (request.matching()) {
			return this.data.ids(request.search().filter(), this.max + 1);
		}
		return request.ids();
	}

	Result apply(Request request, List<UUID> ids) {
		int done = 0;
		List<String> skipped = new ArrayList<>();
		int skippedCount = 0;
		for (UUID id : ids) {
			try {
				if (request.retry()) {
					Execution execution = this.data.execution(id).orElseThrow(() -> new ExecutionNotFoundException(id));
					requireRemote(this.registry, execution);
					this.commands.retry(id);
				}
				else {
					this.commands.cancel(id);
				}
				done++;
			}
			catch (BackgroundTaskException ex) {
				skippedCount++;
				if (skipped.size() < REPORTED) {
					skipped.add(ex.getMessage());
				}
			}
		}
		return new Result(request.action(), done, skippedCount, skipped);
	}

	/**
	 * As the REST API: a task that runs only when code submits it is not retried from outside.
	 */
	static void requireRemote(TaskRegistry registry, Execution execution) {
		if (registry.find(execution.task()).filter((task) -> !task.remote()).isPresent()) {
			throw new ExecutionConflictException(execution.id(), execution.status(), "Execution " + execution.id()
					+ " of task '" + execution.task() + "' is not retried here: the task runs only when code submits it");
		}
	}

	/**
	 * A bulk action as the form asked for it.
	 *
	 * @param action {@code cancel} or {@code retry}
	 * @param matching whether it acts on every execution matching the filters, or on the selected ones
	 * @param ids the selected executions
	 * @param search the page's filters
	 * @param problem what is wrong with the form, or {@code null}
	 */
	public record Request(String action, boolean matching, List<UUID> ids, ExecutionSearch search, @Nullable String problem) {

		static Request of(MultiValueMap<String, String> form, TaskRegistry registry) {
			// A button of the list says both at once ("retry-matching"); the confirmation sends them apart.
			String[] both = String.valueOf(form.getFirst("do")).toLowerCase(Locale.ROOT).split("-", 2);
			String action = (both.length == 2) ? both[0] : String.valueOf(form.getFirst("action")).toLowerCase(Locale.ROOT);
			boolean matching = (both.length == 2) ? "matching".equals(both[1]) : "matching".equals(form.getFirst("scope"));
			Set<UUID> ids = new LinkedHashSet<>();
			List<String> badIds = new ArrayList<>();
			for (String text : form.getOrDefault("id", List.of())) {
				UUID id = ExecutionSearch.id(text);
				if (id != null) {
					ids.add(id);
				}
				else {
					badIds.add(text);
				}
			}
			ExecutionSearch search = ExecutionSearch.of(form, registry);
			String problem = null;
			if (!"cancel".equals(action) && !"retry".equals(action)) {
				problem = "Choose to cancel or to retry";
			}
			else if (!badIds.isEmpty()) {
				problem = "Not execution ids: " + badIds;
			}
			else if (!matching && ids.isEmpty()) {
				problem = "Select at least one execution, or act on all that match the filters";
			}
			else if (matching && !search.problems().isEmpty()) {
				problem = "Fix the filters first: " + search.problems().values();
			}
			return new Request(action, matching, List.copyOf(ids), search, problem);
		}

		public boolean retry() {
			return "retry".equals(this.action);
		}

		/**
		 * @return the filters as hidden fields of the confirmation
		 */
		public List<Map.Entry<String, String>> filters() {
			return this.search.parameters();
		}

	}

	/**
	 * What a bulk action did.
	 *
	 * @param action {@code cancel} or {@code retry}
	 * @param done how many executions were cancelled or retried
	 * @param skipped how many could not be
	 * @param reasons why, for the first few
	 */
	public record Result(String action, int done, int skipped, List<String> reasons) {

	}

}
