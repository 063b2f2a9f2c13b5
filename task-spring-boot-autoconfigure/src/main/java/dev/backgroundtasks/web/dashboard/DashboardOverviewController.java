package dev.backgroundtasks.web.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.MinuteStatistics.MinuteCounts;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The dashboard's overview (counts per status, outcomes per minute, pickup latency, backlog, nodes) and
 * its nodes page.
 */
@Controller
@RequestMapping("${background-tasks.dashboard.path:/background-tasks}")
public class DashboardOverviewController {

	private final DashboardData data;

	private final DashboardView view;

	/**
	 * @param data reads the aggregates
	 * @param view renders the pages
	 */
	public DashboardOverviewController(DashboardData data, DashboardView view) {
		this.data = data;
		this.view = view;
	}

	@GetMapping({ "", "/" })
	ResponseEntity<String> overview(HttpServletRequest request) {
		DashboardData.Overview overview = this.data.overview();
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("overview", overview);
		model.put("statuses", TaskStatus.values());
		model.put("chart", chart(overview.minutes()));
		return this.view.page(request, "overview", model);
	}

	@GetMapping("/nodes")
	ResponseEntity<String> nodes(HttpServletRequest request) {
		return this.view.page(request, "nodes", Map.of("nodes", this.data.nodes()));
	}

	/**
	 * The charts' data as columns, for uPlot: minutes as epoch seconds, then one series per outcome.
	 */
	private static Map<String, List<Long>> chart(List<MinuteCounts> minutes) {
		Map<String, List<Long>> chart = new LinkedHashMap<>();
		chart.put("minute", minutes.stream().map((m) -> m.minute().getEpochSecond()).toList());
		chart.put("succeeded", minutes.stream().map(MinuteCounts::succeeded).toList());
		chart.put("failed", minutes.stream().map(MinuteCounts::failed).toList());
		chart.put("retried", minutes.stream().map(MinuteCounts::retried).toList());
		chart.put("cancelled", minutes.stream().map(MinuteCounts::cancelled).toList());
		return chart;
	}

}
