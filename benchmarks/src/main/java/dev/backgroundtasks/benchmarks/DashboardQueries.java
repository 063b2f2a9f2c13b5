package dev.backgroundtasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSlice;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.MinuteStatistics;

import org.springframework.context.ApplicationContext;

/**
 * The queries of the dashboard that {@link DashboardBenchmark} times, through the starter's own beans, by
 * name in the order they are reported. To time one more, add a line: it is run as often as the others,
 * interleaved with them.
 */
final class DashboardQueries {

	/** Where the executions page's counts stop: {@code background-tasks.dashboard.count-limit}'s default. */
	static final long COUNT_LIMIT = 10_000;

	/** The executions page's size ({@code DashboardExecutionController}). */
	static final int PAGE_SIZE = 25;

	private DashboardQueries() {
	}

	/**
	 * @return what the overview reads ({@code DashboardData.overview()} of the dashboard)
	 */
	static Map<String, Supplier<?>> overview(ApplicationContext context) {
		ExecutionStatistics statistics = context.getBean(ExecutionStatistics.class);
		MinuteStatistics minutes = context.getBean(MinuteStatistics.class);
		JdbcNodeStore nodes = context.getBean(JdbcNodeStore.class);
		Duration hour = Duration.ofHours(1);
		Map<String, Supplier<?>> queries = new LinkedHashMap<>();
		queries.put("statusCounts(10000)", () -> statistics.statusCounts(10_000));
		// What a smaller cap saves: a capped count reads up to cap entries per status.
		queries.put("statusCounts(1000)", () -> statistics.statusCounts(1_000));
		queries.put("perMinute(1h)", () -> minutes.perMinute(hour));
		queries.put("perTask(1h)", () -> minutes.perTask(hour));
		queries.put("pickupLatency(1h)", () -> minutes.pickupLatency(hour));
		queries.put("backlog()", statistics::backlog);
		queries.put("nodes (live within 15s)", () -> nodes.nodes(Duration.ofSeconds(15)));
		return queries;
	}

	/**
	 * What the executions page reads for its first page ({@code DashboardData.page}): a slice of 25 and a
	 * count up to 10,000, for each filter alone and for a task with a status, then deeper pages. The
	 * values are those {@link DashboardData} loads: a task is 5 % of the rows, a tag's two tasks 10 %,
	 * a node 10 %, the trigger SCHEDULE 10 %, a submitter 6 %, FAILED 2 % (and so 0.1 % for the task with
	 * FAILED), a key one row for each 1,000,000; READY rows are the newest 20,000.
	 * @param context the application
	 * @param now the time the range filter counts back from
	 */
	static Map<String, Supplier<?>> executionsPage(ApplicationContext context, Instant now) {
		ExecutionQueries executions = context.getBean(ExecutionQueries.class);
		ExecutionFilter all = ExecutionFilter.all();
		Map<String, ExecutionFilter> filters = new LinkedHashMap<>();
		filters.put("none", all);
		filters.put("task", all.withTask("task-07"));
		for (TaskStatus status : new TaskStatus[] { TaskStatus.READY, TaskStatus.RUNNING, TaskStatus.SUCCESSFUL,
				TaskStatus.FAILED }) {
			filters.put("status " + status, all.withStatus(status));
		}
		filters.put("tag (2 tasks)", all.withTasks(Set.of("task-03", "task-11")));
		filters.put("key", all.withKey("order-4242"));
		filters.put("node", all.withNode("node-3"));
		filters.put("trigger SCHEDULE", all.withTrigger(TaskTrigger.SCHEDULE));
		filters.put("last hour", all.withFrom(now.minus(Duration.ofHours(1))));
		filters.put("submittedBy", all.withSubmittedBy("user-3"));
		filters.put("task + FAILED", all.withTask("task-07").withStatus(TaskStatus.FAILED));
		filters.put("task + READY", all.withTask("task-07").withStatus(TaskStatus.READY));
		Map<String, Supplier<?>> queries = new LinkedHashMap<>();
		filters.forEach((name, filter) -> {
			queries.put("slice(" + name + ")", () -> rows(executions.slice(filter, 0, PAGE_SIZE)));
			queries.put("count(" + name + ")", () -> executions.count(filter, COUNT_LIMIT));
		});
		// Page 41 (number 40 from 0): 1,000 rows come before it.
		for (String name : new String[] { "none", "task", "status FAILED" }) {
			ExecutionFilter filter = filters.get(name);
			queries.put("slice(" + name + ", page 40)", () -> rows(executions.slice(filter, 40, PAGE_SIZE)));
		}
		return queries;
	}

	/** What a slice returned, in short: the timings should not include a long toString. */
	private static String rows(ExecutionSlice slice) {
		return slice.content().size() + " rows" + (slice.hasNext() ? ", more follow" : "");
	}

}
