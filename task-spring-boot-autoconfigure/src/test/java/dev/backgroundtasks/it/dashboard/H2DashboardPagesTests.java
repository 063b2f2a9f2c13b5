package dev.backgroundtasks.it.dashboard;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.dashboard.app.DashboardTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.backgroundtasks.it.dashboard.DashboardHttp.assertPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's pages over plain HTTP, without a browser: every route answers HTML with its
 * Content-Security-Policy, and bad input (unknown names and ids, bad filters, bad form values, forms
 * from another site, too large bulk actions) gets a page that says what is wrong with the right status,
 * never a server error, and stores nothing.
 */
@SpringBootTest(classes = DashboardTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:dashboard-pages-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.dashboard.max-bulk=2" })
class H2DashboardPagesTests {

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
	void everyRouteAnswersHtmlWithItsContentSecurityPolicy() {
		UUID id = this.tasks.submit("greet", Map.of("name", "Ada")).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.SUCCESSFUL);
		List<String> routes = List.of("", "/", "/tasks", "/tasks?q=ADD&tag=math", "/tasks?tag=nope", "/tasks/add",
				"/tasks/greet", "/tasks/report", "/tasks/slow", "/executions", "/executions?task=greet&status=successful",
				"/executions?tag=quick&trigger=API&from=2020-01-01T00:00&to=2999-01-01T00:00:00Z",
				"/executions?page=3", "/executions?page=-1", "/executions?page=abc", "/executions?page=99999999999",
				"/executions/" + id, "/executions/" + id + "?existing", "/nodes");
		for (String route : routes) {
			String html = assertPage(this.http.get("/background-tasks" + route), 200);
			assertThat(html).as(route).contains("<h1").doesNotContain(" onclick=", " onload=", " style=\"");
		}
	}

	@Test
	void anOperatorGetsTheFormsThatAct() {
		UUID id = this.tasks.submit("explode", Map.of("reason", "forms")).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.FAILED);
		assertThat(DashboardHttp.postForms(assertPage(this.http.get("/background-tasks/tasks/add"), 200)))
			.anySatisfy((form) -> assertThat(form).contains("action=\"/background-tasks/tasks/add/run\""))
			.anySatisfy((form) -> assertThat(form).contains("action=\"/background-tasks/tasks/add/disable\""));
		String executions = assertPage(this.http.get("/background-tasks/executions?task=explode"), 200);
		assertThat(DashboardHttp.postForms(executions))
			.anySatisfy((form) -> assertThat(form).contains("action=\"/background-tasks/executions/bulk\""));
		assertThat(executions).contains("type=\"checkbox\" name=\"id\"", "name=\"do\"");
		assertThat(DashboardHttp.postForms(assertPage(this.http.get("/background-tasks/executions/" + id), 200)))
			.anySatisfy((form) -> assertThat(form).contains("/executions/" + id + "/retry"));
	}

	@Test
	void aTaskPageShowsTheLimitsPerPartition() {
		String html = assertPage(this.http.get("/background-tasks/tasks/syncTenant"), 200);
		assertThat(html).contains("at most 2 at once per tenant, cluster-wide")
			.contains("at most 10/1m starts per tenant, cluster-wide, in any window")
			.contains("<dt>Partitioned by</dt><dd>tenant</dd>");
		assertThat(assertPage(this.http.get("/background-tasks/tasks/add"), 200))
			.contains("<dt>Rate</dt><dd>unlimited</dd>")
			.contains("none (limits apply to the whole task)");
	}

	@Test
	void aBatchShowsOnItsMembersPagesAndOnAPageOfItsOwn() {
		BatchHandle batch = this.tasks.batch()
			.add("greet", Map.of("name", "Ada"))
			.add("greet", Map.of("name", "Bob"))
			.add("explode", Map.of("reason", "batch"))
			.submit();
		await().atMost(WAIT).until(batch::isDone);
		String id = batch.id().toString();
		UUID member = this.queries.page(ExecutionFilter.all().withBatchId(batch.id()), 0, 10).content().get(0).id();
		String execution = assertPage(this.http.get("/background-tasks/executions/" + member), 200);
		assertThat(execution).contains("href=\"/background-tasks/batches/" + id + "\"", "3 of 3 ended", " · done",
				"href=\"/background-tasks/executions?batch=" + id + "\"");
		String page = assertPage(this.http.get("/background-tasks/batches/" + id), 200);
		assertThat(page).contains("<h1", "Done", "3 of 3", "3 executions").doesNotContain(" style=\"");
		assertThat(page.replaceAll("\\s+", "")).contains("SUCCESSFUL</span></span></a></dt><dd>2</dd>",
				"FAILED</span></span></a></dt><dd>1</dd>");
		String members = assertPage(this.http.get("/background-tasks/executions?batch=" + id), 200);
		assertThat(members).contains("href=\"/background-tasks/executions/" + member + "\"");
		assertThat(members.split("class=\"id\"")).hasSize(4);
		assertThat(assertPage(this.http.get("/background-tasks/executions?batch=nope"), 400)).contains("Enter a batch id");
		assertThat(assertPage(this.http.get("/background-tasks/batches/" + UUID.randomUUID()), 404)).contains("No batch has the id");
		assertPage(this.http.get("/background-tasks/batches/nope"), 404);
	}

	@Test
	void anUnknownTaskIsA404PageNamingIt() {
		String html = assertPage(this.http.get("/background-tasks/tasks/no-such-task"), 404);
		assertThat(html).contains("No task is named &#39;no-such-task&#39;")
			.contains("href=\"/background-tasks/tasks\"");
		assertPage(this.http.post("/background-tasks/tasks/no-such-task/run", "param.a", "1"), 404);
		assertPage(this.http.post("/background-tasks/tasks/no-such-task/disable"), 404);
	}

	@Test
	void aTaskNameInThePathIsEscapedOnThePage() {
		String html = assertPage(this.http.get("/background-tasks/tasks/%3Cscript%3Ealert(1)"), 404);
		assertThat(html).contains("No task is named &#39;&lt;script&gt;alert(1)&#39;").doesNotContain("<script>alert");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-an-id", "42", "0192b4e1-7c3a-7def-8a41-3f5e2c1d9b80-00", "%20" })
	void aMalformedExecutionIdIsA404Page(String id) {
		String html = assertPage(this.http.get("/background-tasks/executions/" + id), 404);
		assertThat(html).contains("is not an execution id").contains("href=\"/background-tasks/executions\"");
		assertPage(this.http.post("/background-tasks/executions/" + id + "/cancel"), 404);
		assertPage(this.http.post("/background-tasks/executions/" + id + "/retry"), 404);
	}

	@Test
	void anUnknownExecutionIdIsA404Page() {
		UUID id = UUID.randomUUID();
		assertThat(assertPage(this.http.get("/background-tasks/executions/" + id), 404))
			.contains("No execution has the id " + id);
		assertPage(this.http.post("/background-tasks/executions/" + id + "/cancel"), 404);
		assertPage(this.http.post("/background-tasks/executions/" + id + "/retry"), 404);
	}

	@ParameterizedTest
	@ValueSource(strings = { "status=NOPE", "trigger=cron", "from=yesterday", "to=31%2F01%2F2026",
			"from=2026-02-30T00:00", "from=%2B20000-01-01T00:00:00Z", "to=%2B20000-01-01T00:00" })
	void aBadFilterIsA400PageNamingTheParameter(String query) {
		String name = query.substring(0, query.indexOf('='));
		String html = assertPage(this.http.get("/background-tasks/executions?task=greet&" + query), 400);
		assertThat(html).contains("<li><strong>" + name + "</strong>: ").contains("is not used");
		// The other filters still apply, and the form keeps what was typed.
		assertThat(html).contains("matching the filters");
	}

	@Test
	void badFiltersOfABulkActionAreA400Page() {
		String html = assertPage(this.http.post("/background-tasks/executions/bulk", "do", "retry-matching", "status",
				"NOPE", "from", "+20000-01-01T00:00"), 400);
		assertThat(html).contains("Fix the filters first");
	}

	@Test
	void theBulkPagesLinkBackKeepsEveryCharacterOfTheFilters() {
		String html = assertPage(this.http.post("/background-tasks/executions/bulk", "do", "cancel-matching", "key",
				"a+b c&d", "submittedBy", "\u00e9"), 200);
		assertThat(html).contains("href=\"/background-tasks/executions?key=a%2Bb+c%26d&amp;submittedBy=%C3%A9\"");
	}

	@Test
	void anIdThatIsNotOneIsReportedOnTheList() {
		assertThat(assertPage(this.http.get("/background-tasks/executions?id=nope"), 400))
			.contains("<strong>id</strong>: ")
			.contains("is not an execution id");
		UUID unknown = UUID.randomUUID();
		assertThat(assertPage(this.http.get("/background-tasks/executions?id=" + unknown), 400))
			.contains("No execution has the id " + unknown);
	}

	@Test
	void aWaitingExecutionIsListedByItsStatusAndLinksWhatItWaitsFor() {
		UUID parent = this.tasks.task("greet").delay(Duration.ofHours(1)).submit().id();
		UUID child = this.tasks.task("greet").after(parent).submit().id();
		HttpResponse<String> page = this.http.get("/background-tasks/executions/" + child);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("status-waiting")
			.contains("<dt>After</dt>")
			.contains("href=\"/background-tasks/executions/" + parent + "\"")
			.contains("/background-tasks/executions/" + child + "/cancel");
		HttpResponse<String> list = this.http.get("/background-tasks/executions?status=WAITING");
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains(child.toString()).doesNotContain(parent.toString())
			.contains("<option value=\"WAITING\" selected=\"selected\">WAITING</option>");
		this.tasks.handle(parent).cancel();
		assertThat(this.tasks.handle(child).status()).isEqualTo(TaskStatus.CANCELLED);
	}

	@Test
	void theIdOfAnExistingExecutionRedirectsToIt() {
		UUID id = this.tasks.submit("greet", Map.of()).id();
		HttpResponse<String> response = this.http.get("/background-tasks/executions?id=%20" + id + "%20&status=NOPE");
		assertThat(response.statusCode()).isEqualTo(303);
		assertThat(response.headers().firstValue("Location")).hasValue("/background-tasks/executions/" + id);
	}

	@Test
	void runNowStoresTheExecutionWithTypedParamsAndRedirectsToIt() {
		long before = count("add");
		HttpResponse<String> response = this.http.post("/background-tasks/tasks/add/run", "param.a", "2", "param.b",
				" 3 ");
		assertThat(response.statusCode()).isEqualTo(303);
		String location = response.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches("/background-tasks/executions/[0-9a-f-]{36}");
		UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
		assertThat(this.queries.find(id)).hasValueSatisfying((execution) -> {
			assertThat(execution.task()).isEqualTo("add");
			assertThat(execution.params()).containsEntry("a", 2).containsEntry("b", 3);
		});
		assertThat(count("add")).isEqualTo(before + 1);
	}

	@Test
	void runNowWithABadValueIsA400WithTheFieldsErrorAndStoresNothing() {
		long before = count("add");
		String html = assertPage(this.http.post("/background-tasks/tasks/add/run", "param.a", "two", "param.b", "3"),
				400);
		assertThat(html).contains("Some values cannot be used")
			.contains("id=\"field-param-a-error\"")
			.doesNotContain("id=\"field-param-b-error\"")
			.contains("value=\"two\"");
		html = assertPage(this.http.post("/background-tasks/tasks/add/run", "param.a", "1"), 400);
		assertThat(html).contains("id=\"field-param-b-error\"").contains("is required");
		assertThat(count("add")).isEqualTo(before);
	}

	@Test
	void runNowWithInvalidJsonIsA400ByThatField() {
		long before = count("report");
		String html = assertPage(this.http.post("/background-tasks/tasks/report/run", "param.recipients", "[\"a\","),
				400);
		assertThat(html).contains("id=\"field-param-recipients-error\"").contains("Not valid JSON");
		assertThat(count("report")).isEqualTo(before);
	}

	@Test
	void runNowWithBadOptionsIsA400ByTheirFields() {
		long before = count("greet");
		String html = assertPage(this.http.post("/background-tasks/tasks/greet/run", "delay", "soon", "priority",
				"high", "runAt", "tomorrow"), 400);
		assertThat(html).contains("Enter a duration such as 30s, 5m or PT1H, got &#39;soon&#39;")
			.contains("Enter a whole number from")
			.contains("Enter an ISO-8601 instant")
			.contains("<details class=\"options\" open");
		html = assertPage(this.http.post("/background-tasks/tasks/greet/run", "delay", "36501d"), 400);
		assertThat(html).contains("delay must be between 0 and 36500 days");
		html = assertPage(this.http.post("/background-tasks/tasks/greet/run", "delay", "5m", "runAt",
				"2026-01-31T09:00:00Z"), 400);
		assertThat(html).contains("Give either runAt or delay, not both");
		assertThat(count("greet")).isEqualTo(before);
	}

	@Test
	void runNowOfADisabledTaskIsA409WithTheMessage() {
		HttpResponse<String> disabled = this.http.post("/background-tasks/tasks/flaky/disable");
		try {
			assertThat(disabled.statusCode()).isEqualTo(303);
			assertThat(disabled.headers().firstValue("Location")).hasValue("/background-tasks/tasks/flaky");
			long before = count("flaky");
			String html = assertPage(this.http.post("/background-tasks/tasks/flaky/run"), 409);
			assertThat(html).contains("Task &#39;flaky&#39; is disabled");
			assertThat(count("flaky")).isEqualTo(before);
		}
		finally {
			assertThat(this.http.post("/background-tasks/tasks/flaky/enable").statusCode()).isEqualTo(303);
		}
	}

	@Test
	void aFormFromAnotherSiteIsRefusedAndStoresNothing() {
		long before = count("add");
		HttpResponse<String> response = this.http.post("/background-tasks/tasks/add/run",
				List.of("Origin", "http://evil.example"), "param.a", "1", "param.b", "2");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("sent from another site");
		assertThat(this.http
			.post("/background-tasks/tasks/add/run", List.of("Sec-Fetch-Site", "cross-site"), "param.a", "1", "param.b", "2")
			.statusCode()).isEqualTo(403);
		assertThat(this.http
			.post("/background-tasks/tasks/add/run", List.of("Origin", this.http.origin().replace("localhost", "127.0.0.1")),
					"param.a", "1", "param.b", "2")
			.statusCode()).isEqualTo(403);
		assertThat(this.http.post("/background-tasks/tasks/add/disable", List.of("Origin", "http://evil.example"))
			.statusCode()).isEqualTo(403);
		assertThat(assertPage(this.http.get("/background-tasks/tasks/add"), 200)).contains(">Enabled<");
		assertThat(count("add")).isEqualTo(before);
		// The same form from the dashboard's own origin goes through.
		assertThat(this.http
			.post("/background-tasks/tasks/add/run", List.of("Origin", this.http.origin(), "Sec-Fetch-Site", "same-origin"),
					"param.a", "1", "param.b", "2")
			.statusCode()).isEqualTo(303);
		assertThat(count("add")).isEqualTo(before + 1);
	}

	@Test
	void aBulkActionFromAnotherSiteIsRefused() {
		UUID id = failed("cross-site");
		HttpResponse<String> response = this.http.post("/background-tasks/executions/bulk",
				List.of("Origin", "http://evil.example"), "action", "retry", "scope", "selected", "confirm", "true", "id",
				id.toString());
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(retries(id)).isZero();
	}

	@Test
	void aBulkActionWithoutASelectionIsA400Page() {
		assertThat(assertPage(this.http.post("/background-tasks/executions/bulk", "do", "retry-selected"), 400))
			.contains("Select at least one execution");
		assertThat(assertPage(this.http.post("/background-tasks/executions/bulk", "action", "cancel", "scope",
				"selected", "confirm", "true"), 400))
			.contains("Select at least one execution");
		assertThat(assertPage(this.http.post("/background-tasks/executions/bulk"), 400))
			.contains("Choose to cancel or to retry");
		assertThat(assertPage(this.http.post("/background-tasks/executions/bulk", "do", "delete-selected", "id",
				UUID.randomUUID().toString()), 400))
			.contains("Choose to cancel or to retry");
		assertThat(assertPage(this.http.post("/background-tasks/executions/bulk", "do", "cancel-selected", "id",
				"not-an-id"), 400))
			.contains("Not execution ids: [not-an-id]");
	}

	@Test
	void aBulkActionOverTheBoundIsRefusedWithTheBound() {
		String reason = "bulk-" + UUID.randomUUID();
		List<UUID> ids = List.of(failed(reason), failed(reason), failed(reason));
		List<String> selected = new ArrayList<>(List.of("action", "retry", "scope", "selected", "confirm", "true"));
		ids.forEach((id) -> selected.addAll(List.of("id", id.toString())));
		String html = assertPage(this.http.post("/background-tasks/executions/bulk", selected.toArray(String[]::new)),
				400);
		assertThat(html).contains("More than 2 executions match")
			.contains("background-tasks.dashboard.max-bulk")
			.doesNotContain("name=\"confirm\"");
		html = assertPage(this.http.post("/background-tasks/executions/bulk", "action", "retry", "scope", "matching",
				"confirm", "true", "task", "explode", "status", "FAILED"), 400);
		assertThat(html).contains("More than 2 executions match");
		assertThat(ids).allSatisfy((id) -> assertThat(retries(id)).isZero());
	}

	@Test
	void aBulkActionWithinTheBoundIsConfirmedThenDone() {
		String reason = "bulk-" + UUID.randomUUID();
		List<UUID> ids = List.of(failed(reason), failed(reason));
		String html = assertPage(this.http.post("/background-tasks/executions/bulk", "do", "retry-selected", "id",
				ids.get(0).toString(), "id", ids.get(1).toString()), 200);
		assertThat(html).contains("<strong>2 executions</strong>").contains("name=\"confirm\" value=\"true\"");
		assertThat(ids).allSatisfy((id) -> assertThat(retries(id)).isZero());
		html = assertPage(this.http.post("/background-tasks/executions/bulk", "action", "retry", "scope", "selected",
				"confirm", "true", "id", ids.get(0).toString(), "id", ids.get(1).toString()), 200);
		assertThat(html).contains("<strong>2</strong> <span>retried</span>");
		assertThat(ids).allSatisfy((id) -> assertThat(retries(id)).isEqualTo(1));
	}

	@Test
	void retryingAnExecutionThatIsNotFailedIsA409Page() {
		UUID id = this.tasks.submit("greet", Map.of()).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.SUCCESSFUL);
		assertPage(this.http.post("/background-tasks/executions/" + id + "/retry"), 409);
		assertThat(retries(id)).isZero();
	}

	@Test
	void theAssetsAnswerWithTheirContentTypes() {
		assertAsset("/background-tasks/assets/dashboard.js", "javascript");
		assertAsset("/background-tasks/assets/dashboard.css", "text/css");
		assertAsset("/background-tasks/assets/favicon.svg", "image/svg+xml");
		assertAsset("/background-tasks/assets/uplot/uPlot.iife.min.js", "javascript");
		assertAsset("/background-tasks/assets/uplot/uPlot.min.css", "text/css");
		assertThat(this.http.get("/background-tasks/assets/nope.js").statusCode()).isEqualTo(404);
		assertThat(this.http.get("/background-tasks/assets/uplot/..%2F..%2F..%2Fpom.properties").statusCode())
			.isNotEqualTo(200);
		assertThat(this.http.get("/background-tasks/assets/%2e%2e/templates/layout.html").statusCode())
			.isNotEqualTo(200);
	}

	private void assertAsset(String path, String type) {
		HttpResponse<String> response = this.http.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).as(path)
			.hasValueSatisfying((value) -> assertThat(value).contains(type));
		assertThat(response.body()).as(path).isNotBlank();
	}

	private UUID failed(String reason) {
		UUID id = this.tasks.submit("explode", Map.of("reason", reason)).id();
		await().atMost(WAIT).until(() -> status(id) == TaskStatus.FAILED);
		return id;
	}

	private long count(String task) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = ?", Long.class, task);
	}

	private long retries(UUID id) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE retry_of = ?", Long.class, id);
	}

	private TaskStatus status(UUID id) {
		return this.queries.find(id).map(Execution::status).orElseThrow();
	}

}
