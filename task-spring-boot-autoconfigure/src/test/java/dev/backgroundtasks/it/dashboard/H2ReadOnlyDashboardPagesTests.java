package dev.backgroundtasks.it.dashboard;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.dashboard.app.DashboardTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.backgroundtasks.it.dashboard.DashboardHttp.assertPage;
import static dev.backgroundtasks.it.dashboard.DashboardHttp.postForms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard with {@code background-tasks.web.read-only=true}, over plain HTTP: every page renders
 * without a form that acts, and every action is refused by the server (a forged form too), storing and
 * changing nothing.
 */
@SpringBootTest(classes = DashboardTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:dashboard-read-only-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.web.read-only=true" })
class H2ReadOnlyDashboardPagesTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionQueries queries;

	@Autowired
	JdbcTemplate jdbc;

	DashboardHttp http;

	@BeforeEach
	void client() {
		this.http = new DashboardHttp(this.port);
	}

	@Test
	void pagesHaveNoFormThatActs() {
		UUID failed = failed();
		UUID ready = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		List<String> routes = List.of("", "/tasks", "/tasks/add", "/tasks/report", "/executions",
				"/executions?task=explode", "/executions/" + failed, "/executions/" + ready, "/nodes");
		for (String route : routes) {
			String html = assertPage(this.http.get("/background-tasks" + route), 200);
			assertThat(postForms(html)).as(route).isEmpty();
			assertThat(html).as(route)
				.contains("<span class=\"role\">read-only</span>")
				.doesNotContain("type=\"checkbox\" name=\"id\"", "name=\"do\"", "Run now");
		}
	}

	@Test
	void everyActionIsRefusedAndChangesNothing() {
		UUID failed = failed();
		UUID ready = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		long before = count();
		List<HttpCall> actions = List.of(
				() -> this.http.post("/background-tasks/tasks/add/run", "param.a", "1", "param.b", "2"),
				() -> this.http.post("/background-tasks/tasks/greet/disable"),
				() -> this.http.post("/background-tasks/tasks/greet/enable"),
				() -> this.http.post("/background-tasks/executions/" + failed + "/retry"),
				() -> this.http.post("/background-tasks/executions/" + ready + "/cancel"),
				() -> this.http.post("/background-tasks/executions/bulk", "do", "retry-selected", "id", failed.toString()),
				() -> this.http.post("/background-tasks/executions/bulk", "action", "cancel", "scope", "matching",
						"confirm", "true"));
		for (HttpCall action : actions) {
			String html = assertPage(action.call(), 403);
			assertThat(html).contains("This dashboard is read-only here");
			assertThat(postForms(html)).isEmpty();
		}
		assertThat(count()).isEqualTo(before);
		assertThat(status(ready)).isEqualTo(TaskStatus.READY);
		assertThat(assertPage(this.http.get("/background-tasks/tasks/greet"), 200)).contains(">Enabled<");
	}

	private UUID failed() {
		UUID id = this.tasks.submit("explode", Map.of("reason", "read-only")).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.FAILED);
		return id;
	}

	private long count() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

	private TaskStatus status(UUID id) {
		return this.queries.find(id).map(Execution::status).orElseThrow();
	}

	@FunctionalInterface
	private interface HttpCall {

		HttpResponse<String> call();

	}

}
