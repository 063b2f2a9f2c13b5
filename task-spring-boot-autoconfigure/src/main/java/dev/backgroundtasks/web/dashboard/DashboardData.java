package dev.backgroundtasks.web.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionSlice;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.MinuteStatistics;
import dev.backgroundtasks.execution.NodeInfo;
import dev.backgroundtasks.web.ExecutionResponseAdvice;

/**
 * What the dashboard reads, in one place: executions as the REST API shows them to the current caller
 * (sensitive params masked, stack traces as the policy allows), and the cheap aggregates behind the
 * overview. Nothing here counts a big table row by row: counts stop at a limit, charts read the
 * per-minute aggregates.
 */
public class DashboardData {

	/** The window of the overview's charts and of the tasks' recent outcomes. */
	static final Duration WINDOW = Duration.ofHours(1);

	/**
	 * How long counting a filtered list may take: where no index serves the filters and few rows match,
	 * a count reads the whole table; the page then says "more than" instead.
	 */
	static final Duration COUNT_TIMEOUT = Duration.ofSeconds(1);

	/** A count that took too long. */
	static final long UNKNOWN = -1;

	private final ExecutionQueries queries;

	private final ExecutionStatistics statistics;

	private final MinuteStatistics minutes;

	private final JdbcNodeStore nodes;

	private final ExecutionResponseAdvice shown;

	private final Duration liveWithin;

	private final long countLimit;

	/**
	 * @param queries reads executions
	 * @param statistics counts of the executions table, each stopping at a limit
	 * @param minutes the per-minute aggregates
	 * @param nodes the nodes' heartbeats
	 * @param shown shapes executions and attempts as the current caller may see them, as the REST API
	 * does
	 * @param liveWithin how recent a heartbeat is for its node to count as alive
	 * @param countLimit where counts stop
	 */
	public DashboardData(ExecutionQueries queries, ExecutionStatistics statistics, MinuteStatistics minutes,
			JdbcNodeStore nodes, ExecutionResponseAdvice shown, Duration liveWithin, long countLimit) {
		this.queries = queries;
		this.statistics = statistics;
		this.minutes = minutes;
		this.nodes = nodes;
		this.shown = shown;
		this.liveWithin = liveWithin;
		this.countLimit = countLimit;
	}

	Optional<Execution> execution(UUID id) {
		return this.queries.find(id).map(this.shown::shown);
	}

	List<Execution> recent(String task, int count) {
		return this.queries.slice(ExecutionFilter.all().withTask(task), 0, count)
			.content()
			.stream()
			.map(this.shown::shown)
			.toList();
	}

	/**
	 * @param task a task name
	 * @return the newest execution a schedule of the task fired, if any
	 */
	Optional<Execution> lastScheduled(String task) {
		return this.queries.slice(ExecutionFilter.all().withTask(task).withTrigger(TaskTrigger.SCHEDULE), 0, 1)
			.content()
			.stream()
			.findFirst();
	}

	/**
	 * @param filter the filters
	 * @param page the page number, from 0
	 * @param size the page size
	 * @return the page's executions, whether there is a next page, and how many match, up to the limit
	 */
	Slice page(ExecutionFilter filter, int page, int size) {
		ExecutionSlice slice = this.queries.slice(filter, page, size);
		List<Execution> rows = slice.content().stream().map(this.shown::shown).toList();
		if (!slice.hasNext()) {
			// The last page tells the count for free.
			return new Slice(rows, false, (long) page * size + rows.size(), this.countLimit);
		}
		long count = this.queries.count(filter, this.countLimit, COUNT_TIMEOUT).orElse(UNKNOWN);
		return new Slice(rows, true, count, this.countLimit);
	}

	/**
	 * @param filter the filters
	 * @param limit the most ids to read
	 * @return the ids of the newest executions that match, at most {@code limit}
	 */
	List<UUID> ids(ExecutionFilter filter, int limit) {
		return this.queries.slice(filter, 0, limit).content().stream().map(Execution::id).toList();
	}

	/**
	 * @param id an execution id
	 * @return its attempts, oldest first, with stack traces as the current caller may see them
	 */
	List<ExecutionAttempt> attempts(UUID id) {
		return this.shown.shown(this.queries.attempts(id));
	}

	Map<String, MinuteStatistics.OutcomeCounts> outcomesPerTask() {
		return this.minutes.perTask(WINDOW);
	}

	List<NodeInfo> nodes() {
		return this.nodes.nodes(this.liveWithin);
	}

	Overview overview() {
		Map<TaskStatus, Long> counts = this.statistics.statusCounts(this.countLimit);
		List<MinuteStatistics.MinuteCounts> perMinute = this.minutes.perMinute(WINDOW);
		MinuteStatistics.PickupLatency latency = this.minutes.pickupLatency(WINDOW);
		ExecutionStatistics.Backlog backlog = this.statistics.backlog();
		long alive = nodes().stream().filter(NodeInfo::live).count();
		return new Overview(counts, this.countLimit, perMinute, latency, backlog, alive);
	}

	/**
	 * One page of executions.
	 *
	 * @param rows the executions
	 * @param hasNext whether a next page exists
	 * @param count how many match, at most {@code limit}; {@code -1} when counting took too long
	 * @param limit where the count stops
	 */
	public record Slice(List<Execution> rows, boolean hasNext, long count, long limit) {

	}

	/**
	 * What the overview shows.
	 *
	 * @param counts executions per status, each at most {@code limit}
	 * @param limit where counts stop
	 * @param minutes outcomes per minute over the last hour, oldest first
	 * @param latency pickup latency over the last hour
	 * @param backlog the oldest due {@code READY} execution's age and the expired leases
	 * @param nodesAlive how many nodes heartbeat
	 */
	public record Overview(Map<TaskStatus, Long> counts, long limit, List<MinuteStatistics.MinuteCounts> minutes,
			MinuteStatistics.PickupLatency latency, ExecutionStatistics.Backlog backlog, long nodesAlive) {

	}

}
