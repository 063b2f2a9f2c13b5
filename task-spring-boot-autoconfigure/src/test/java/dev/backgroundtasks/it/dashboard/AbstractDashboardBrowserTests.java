package dev.backgroundtasks.it.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.dashboard.app.DashboardTasksApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium, under the strict Content-Security-Policy it sends: every
 * route, Run now, live updates, a failure's detail with its attempts, bulk retry. Run on H2 and on
 * PostgreSQL by the subclasses.
 */
@ExtendWith(Browser.Available.class)
@SpringBootTest(classes = DashboardTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "background-tasks.worker.poll-interval=200ms")
abstract class AbstractDashboardBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionQueries queries;

	@Autowired
	JdbcTemplate jdbc;

	RestClient http;

	@BeforeAll
	static void startBrowser() {
		browser = new Browser();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl(url(""))
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		browser.clearConsole();
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	String dashboard(String path) {
		return url("/background-tasks" + path);
	}

	/** A prefix for screenshots, so that the databases' runs keep theirs apart. */
	abstract String database();

	@Test
	void everyRouteRendersWithoutConsoleErrorsOrFailedRequests() {
		UUID id = this.tasks.submit("greet", Map.of("name", "Ada")).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.SUCCESSFUL);
		Map<String, String> routes = Map.of("overview", "", "tasks", "/tasks", "task", "/tasks/report", "executions",
				"/executions", "execution", "/executions/" + id, "nodes", "/nodes");
		routes.forEach((name, path) -> {
			browser.open(dashboard(path));
			assertThat(browser.find("h1").getText()).as(path).isNotBlank();
			assertThat(browser.find("nav[aria-label='Dashboard'] a[aria-current='page']").getText()).isNotBlank();
			// Scripts run and the live parts settle before the console is read.
			browser.waiting(WAIT).until((driver) -> "complete".equals(browser.script("return document.readyState")));
			assertThat(browser.consoleErrors()).as("console of " + path).isEmpty();
			browser.screenshot(database() + "-" + name);
		});
		ResponseEntity<String> page = this.http.get().uri("/background-tasks/executions").retrieve().toEntity(String.class);
		assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'")
			.contains("style-src 'self'")
			.doesNotContain("unsafe-inline");
		assertThat(page.getBody()).doesNotContain(" onclick=", " onload=", " style=\"").doesNotContainPattern("<script>");
	}

	@Test
	void aMembersPageLeadsToItsBatchAndTheBatchToItsMembers() {
		BatchHandle batch = this.tasks.batch()
			.add("greet", Map.of("name", "Ada"))
			.add("greet", Map.of("name", "Bob"))
			.add("explode", Map.of("reason", "batch"))
			.onComplete("greet", Map.of("name", "done"))
			.submit();
		await().atMost(WAIT).until(batch::isDone);
		UUID member = this.queries.page(ExecutionFilter.all().withBatchId(batch.id()), 0, 10).content().get(0).id();
		browser.open(dashboard("/executions/" + member));
		assertThat(browser.find(".batch-summary").getText()).contains("3 of 3 ended", "done");
		browser.screenshot(database() + "-batch-member");
		browser.find(".batch-summary a").click();
		browser.waiting(WAIT).until(ExpectedConditions.urlMatches("/background-tasks/batches/" + batch.id() + "$"));
		assertThat(browser.find("h1 code").getText()).isEqualTo(batch.id().toString());
		assertThat(browser.find("#batch-progress").getAttribute("value")).isEqualTo("3");
		assertThat(browser.findAll("table.executions tbody tr")).hasSize(3);
		browser.waiting(WAIT).until((driver) -> "complete".equals(browser.script("return document.readyState")));
		assertThat(browser.consoleErrors()).isEmpty();
		browser.screenshot(database() + "-batch");
		browser.find("#batch-members").click();
		browser.waiting(WAIT).until(ExpectedConditions.urlContains("/background-tasks/executions?batch=" + batch.id()));
		assertThat(browser.findAll("table.executions tbody tr")).hasSize(3);
		assertThat(browser.find("#f-batch").getAttribute("value")).isEqualTo(batch.id().toString());
	}

	@Test
	void overviewDrawsItsChartsFromTheAggregates() {
		UUID id = this.tasks.submit("add", Map.of("a", 1, "b", 2)).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.SUCCESSFUL);
		browser.open(dashboard(""));
		browser.waiting(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#throughput-chart canvas")));
		assertThat(browser.findAll("#failures-chart canvas")).hasSize(1);
		assertThat(browser.find(".counts").getText()).contains("SUCCESSFUL");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void runNowSubmitsAndShowsTheServersErrorsByTheirFields() {
		browser.open(dashboard("/tasks/add"));
		browser.find("#field-param-a").sendKeys("2");
		browser.find("#field-param-b").sendKeys("3");
		browser.find("form.run button[type='submit']").click();
		browser.waiting(WAIT).until(ExpectedConditions.urlMatches("/background-tasks/executions/[0-9a-f-]{36}$"));
		UUID id = UUID.fromString(browser.find("h1 code").getText());
		assertThat(this.queries.find(id)).hasValueSatisfying((execution) -> {
			assertThat(execution.task()).isEqualTo("add");
			assertThat(execution.params()).containsEntry("a", 2).containsEntry("b", 3);
		});
		// The page follows the execution to its end without a reload.
		browser.waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".big-status"),
				"SUCCESSFUL"));
		assertThat(browser.find("pre.json:last-of-type").getText()).isEqualTo("5");

		browser.open(dashboard("/tasks/add"));
		browser.find("#field-param-a").sendKeys("2");
		browser.find("form.run button[type='submit']").click();
		WebElement error = browser.waiting(WAIT)
			.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-param-b-error")));
		assertThat(error.getText()).contains("is required");
		assertThat(browser.find("#field-param-b").getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(browser.find("#field-param-a").getAttribute("value")).isEqualTo("2");
		browser.screenshot(database() + "-run-now-error");
		browser.clearConsole();
	}

	@Test
	void anExecutionSubmittedOverRestAppearsOnAnOpenPageWithoutAReload() {
		browser.open(dashboard("/executions?task=greet"));
		browser.script("window.bgtNotReloaded = true");
		ResponseEntity<Execution> submitted = this.http.post()
			.uri("/api/v1/tasks/greet/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("params", Map.of("name", "live")))
			.retrieve()
			.toEntity(Execution.class);
		UUID id = submitted.getBody().id();
		browser.waiting(WAIT)
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id + "']")));
		assertThat(browser.script("return window.bgtNotReloaded === true")).isEqualTo(true);
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aFailedExecutionShowsItsErrorAndItsAttemptHistory() {
		UUID failed = this.tasks.submit("explode", Map.of("reason", "for the test")).id();
		UUID flaky = this.tasks.submit("flaky", Map.of()).id();
		await().atMost(WAIT).until(() -> status(failed) == TaskStatus.FAILED && status(flaky) == TaskStatus.SUCCESSFUL);
		browser.open(dashboard("/executions/" + failed));
		assertThat(browser.find(".error-type").getText()).isEqualTo("java.lang.IllegalStateException");
		assertThat(browser.find(".error-message").getText()).isEqualTo("Exploded for the test");
		assertThat(rows("table.attempts")).containsExactly("1 FAILED");
		browser.screenshot(database() + "-failed-execution");

		browser.open(dashboard("/executions/" + flaky));
		assertThat(rows("table.attempts")).containsExactly("1 FAILED", "2 SUCCEEDED");
		assertThat(browser.find("table.attempts").getText()).contains("First attempts fail");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void bulkRetryOfFailedExecutions() {
		String reason = "bulk-" + UUID.randomUUID();
		List<UUID> ids = List.of(submitExplode(reason), submitExplode(reason), submitExplode(reason));
		await().atMost(WAIT).until(() -> ids.stream().allMatch((id) -> status(id) == TaskStatus.FAILED));
		long before = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'explode'",
				Long.class);
		browser.open(dashboard("/executions?task=explode&status=FAILED"));
		browser.find("button[value='retry-matching']").click();
		WebElement confirm = browser.waiting(WAIT)
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.confirm")));
		long failedNow = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'explode' AND status = 'FAILED'", Long.class);
		assertThat(confirm.getText()).contains(failedNow + (failedNow == 1 ? " execution" : " executions"));
		browser.screenshot(database() + "-bulk-confirm");
		browser.find("form button.primary").click();
		WebElement result = browser.waiting(WAIT)
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.notice")));
		assertThat(result.getText()).contains(failedNow + " retried").contains("0 skipped");
		for (UUID id : ids) {
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE retry_of = ?", Long.class, id))
				.isEqualTo(1);
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'explode'", Long.class))
			.isEqualTo(before + failedNow);
	}

	private UUID submitExplode(String reason) {
		return this.tasks.submit("explode", Map.of("reason", reason)).id();
	}

	private List<String> rows(String table) {
		return browser.findAll(table + " tbody tr")
			.stream()
			.map((row) -> row.findElements(By.tagName("td")))
			.map((cells) -> cells.get(0).getText() + " " + cells.get(1).getText())
			.toList();
	}

	private TaskStatus status(UUID id) {
		return this.queries.find(id).map(Execution::status).orElseThrow();
	}

}
