package dev.backgroundtasks.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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

	private DashboardQueries() {
	}

	static Map<String, Supplier<?>> of(ApplicationContext context) {
		ExecutionStatistics statistics = context.getBean(ExecutionStatistics.class);
		MinuteStatistics minutes = context.getBean(MinuteStatistics.class);
		JdbcNodeStore nodes = context.getBean(JdbcNodeStore.class);
		Duration hour = Duration.ofHours(1);
		Map<String, Supplier<?>> queries = new LinkedHashMap<>();
		// The overview (issue #16).
		queries.put("statusCounts(10000)", () -> statistics.statusCounts(10_000));
		// What a smaller cap saves: a capped count reads up to cap entries per status.
		queries.put("statusCounts(1000)", () -> statistics.statusCounts(1_000));
		queries.put("perMinute(1h)", () -> minutes.perMinute(hour));
		queries.put("perTask(1h)", () -> minutes.perTask(hour));
		queries.put("pickupLatency(1h)", () -> minutes.pickupLatency(hour));
		queries.put("backlog()", statistics::backlog);
		queries.put("nodes (live within 15s)", () -> nodes.nodes(Duration.ofSeconds(15)));
		// Listings of executions go here (ExecutionQueries is a bean of the context too).
		return queries;
	}

}
