package dev.backgroundtasks.it.dashboard;

import java.net.http.HttpResponse;
import java.util.List;

import dev.backgroundtasks.it.dashboard.app.DashboardTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code background-tasks.dashboard.enabled=false}: nothing answers at the dashboard's path, its pages,
 * actions and assets alike, while the REST API still does.
 */
@SpringBootTest(classes = DashboardTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:dashboard-disabled-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.dashboard.enabled=false" })
class H2DashboardDisabledTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	DashboardHttp http;

	@BeforeEach
	void client() {
		this.http = new DashboardHttp(this.port);
	}

	@Test
	void theDashboardsPathIsNotFound() {
		for (String path : List.of("", "/", "/tasks", "/tasks/add", "/executions", "/nodes", "/assets/dashboard.js",
				"/assets/uplot/uPlot.iife.min.js")) {
			HttpResponse<String> response = this.http.get("/background-tasks" + path);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).isEmpty();
		}
	}

	@Test
	void itsFormsDoNothing() {
		HttpResponse<String> response = this.http.post("/background-tasks/tasks/add/run", "param.a", "1", "param.b", "2");
		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'add'", Long.class))
			.isZero();
	}

	@Test
	void theRestApiStillAnswers() {
		HttpResponse<String> response = this.http.get("/api/v1/tasks");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.body()).contains("\"name\":\"add\"");
	}

}
