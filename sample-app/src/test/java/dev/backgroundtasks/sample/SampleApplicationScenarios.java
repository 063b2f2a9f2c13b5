package dev.backgroundtasks.sample;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end scenarios of the sample application over real HTTP, run once per database by the
 * subclasses. The scheduler is off: the 30-second heartbeat would otherwise add executions while a
 * scenario counts them. Schedules still show in the REST API.
 */
@TestPropertySource(properties = "background-tasks.scheduler.enabled=false")
abstract class SampleApplicationScenarios {

	private static final String API = "/api/v1";

	@Autowired
	private RestTestClient client;

	@Test
	void listsAllTasks() {
		this.client.get()
			.uri(API + "/tasks")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].name")
			.isEqualTo(List.of("add", "always-fails", "clean-up", "greeting", "heartbeat", "import-customers",
					"sales-report", "welcome-email"));
	}

	@Test
	void showsTheSchedulesOfScheduledTasks() {
		this.client.get()
			.uri(API + "/tasks/sales-report")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.enabled")
			.isEqualTo(true)
			.jsonPath("$.schedules[0].expression")
			.isEqualTo("0 9 * * 1-5")
			.jsonPath("$.schedules[0].zone")
			.isEqualTo("Europe/London")
			.jsonPath("$.schedules[0].nextRunAt")
			.isNotEmpty();
		this.client.get()
			.uri(API + "/tasks/heartbeat")
			.exchange()
			.expectBody()
			.jsonPath("$.schedules[0].expression")
			.isEqualTo("every 30s");
		this.client.get()
			.uri(API + "/tasks/clean-up")
			.exchange()
			.expectBody()
			.jsonPath("$.schedules[0].zone")
			.isEqualTo("UTC");
	}

	@Test
	void filtersTasksByEveryGivenTag() {
		this.client.get()
			.uri(API + "/tasks?tags=demo,quick")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].name")
			.isEqualTo(List.of("add", "greeting"));
		this.client.get()
			.uri(API + "/tasks?tags=demo,math")
			.exchange()
			.expectBody()
			.jsonPath("$[*].name")
			.isEqualTo(List.of("add"));
	}

	@Test
	void describesOneTask() {
		this.client.get()
			.uri(API + "/tasks/greeting")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.tags")
			.isEqualTo(List.of("demo", "quick"))
			.jsonPath("$.parameters[0].name")
			.isEqualTo("name")
			.jsonPath("$.parameters[0].required")
			.isEqualTo(false)
			.jsonPath("$.parameters[0].defaultValue")
			.isEqualTo("World");
	}

	@Test
	void executesAddAndReturnsTheSum() {
		URI location = execute("add", "{\"params\":{\"a\":2,\"b\":3}}");
		awaitFinished(location).jsonPath("$.task")
			.isEqualTo("add")
			.jsonPath("$.status")
			.isEqualTo("SUCCESSFUL")
			.jsonPath("$.trigger")
			.isEqualTo("API")
			.jsonPath("$.params")
			.isEqualTo(Map.of("a", 2, "b", 3))
			.jsonPath("$.result")
			.isEqualTo(5);
	}

	@Test
	void executesWithAnEmptyBodyUsingDefaults() {
		URI location = execute("greeting", "");
		awaitFinished(location).jsonPath("$.status").isEqualTo("SUCCESSFUL").jsonPath("$.result").isEqualTo("Hello, World!");
	}

	@Test
	void sendsTheWelcomeEmailToAnExistingUserThroughTheTransactionalProxy() {
		URI location = execute("welcome-email", "{\"params\":{\"userId\":2}}");
		awaitFinished(location).jsonPath("$.status")
			.isEqualTo("SUCCESSFUL")
			.jsonPath("$.result.to")
			.isEqualTo("grace@example.com")
			.jsonPath("$.result.subject")
			.isEqualTo("Welcome, Grace Hopper!")
			.jsonPath("$.result.sentAt")
			.isNotEmpty();
	}

	@Test
	void failsTheWelcomeEmailOfAMissingUserWithAClearError() {
		URI location = execute("welcome-email", "{\"params\":{\"userId\":999}}");
		awaitFinished(location).jsonPath("$.status")
			.isEqualTo("FAILED")
			.jsonPath("$.error.type")
			.isEqualTo("dev.backgroundtasks.sample.users.UserNotFoundException")
			.jsonPath("$.error.message")
			.isEqualTo("No user with id 999 exists in table app_user");
	}

	@Test
	void buildsTheSalesReportWithDefaultParams() {
		URI location = execute("sales-report", "{}");
		awaitFinished(location).jsonPath("$.status")
			.isEqualTo("SUCCESSFUL")
			.jsonPath("$.result.region")
			.isEqualTo("EMEA")
			.jsonPath("$.result.days.length()")
			.isEqualTo(7)
			.jsonPath("$.result.total")
			.isNotEmpty();
	}

	@Test
	void recordsTheErrorOfAFailingTask() {
		URI location = execute("always-fails", "");
		awaitFinished(location).jsonPath("$.status")
			.isEqualTo("FAILED")
			.jsonPath("$.result")
			.doesNotExist()
			.jsonPath("$.error.type")
			.isEqualTo("java.lang.IllegalStateException")
			.jsonPath("$.error.message")
			.isEqualTo("This task always fails: it demonstrates a FAILED execution")
			.jsonPath("$.error.stackTrace")
			.value((String trace) -> assertThat(trace).contains("DemoTasks.alwaysFails"));
	}

	@Test
	void refusesToCancelAFinishedExecution() {
		URI location = execute("add", "{\"params\":{\"a\":1,\"b\":1}}");
		awaitFinished(location).jsonPath("$.status").isEqualTo("SUCCESSFUL");
		this.client.post()
			.uri(location + "/$cancel")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("SUCCESSFUL"));
	}

	@Test
	void rejectsBadRequestsWithProblemsAndStoresNothing() {
		long before = executionCount();
		badRequest("add", "{\"params\":{\"a\":2,").jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).startsWith("Malformed JSON in request body"));
		badRequest("add", "{\"params\":{\"a\":2}}").jsonPath("$.errors[0].parameter")
			.isEqualTo("b")
			.jsonPath("$.errors[0].problem")
			.value((String problem) -> assertThat(problem).contains("is required"));
		badRequest("add", "{\"params\":{\"a\":2,\"b\":3,\"c\":4}}").jsonPath("$.errors[0].parameter")
			.isEqualTo("c")
			.jsonPath("$.errors[0].problem")
			.value((String problem) -> assertThat(problem).contains("is not a parameter of task 'add'"));
		badRequest("add", "{\"params\":{\"a\":\"two\",\"b\":3}}").jsonPath("$.errors[0].parameter")
			.isEqualTo("a")
			.jsonPath("$.errors[0].problem")
			.value((String problem) -> assertThat(problem).contains("expected int"));
		this.client.post()
			.uri(API + "/tasks/no-such-task/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"params\":{}}")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("No task named 'no-such-task' is registered");
		this.client.get().uri(API + "/tasks/no-such-task").exchange().expectStatus().isNotFound();
		assertThat(executionCount()).isEqualTo(before);
	}

	@Test
	void cancellingTheRunningImportOverRestEndsItCancelledWithItsProgressKept() {
		URI location = execute("import-customers", "{}");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			Map<String, Object> progress = progress(location);
			return progress != null && ((Number) progress.get("current")).longValue() > 0;
		});
		this.client.post().uri(location + "/$cancel").exchange().expectStatus().isAccepted();
		// Cancelling reaches the task within the cancel check interval (500 ms) and interrupts its sleep.
		await().atMost(Duration.ofSeconds(3))
			.until(() -> "CANCELLED".equals(this.client.get().uri(location).exchange().returnResult(Map.class)
				.getResponseBody().get("status")));
		Map<String, Object> progress = progress(location);
		assertThat(progress).isNotNull();
		assertThat(((Number) progress.get("current")).longValue()).isPositive();
		assertThat(((Number) progress.get("fraction")).doubleValue()).isGreaterThan(0).isLessThan(1);
		assertThat(progress.get("message")).asString().isNotBlank();
	}

	@Test
	void aSubmissionToANodeWithIdleWorkersStartsThereWithoutWaitingForAClaim() {
		// Stored already claimed by this node, in one statement: started when created. Of a few tries,
		// in case every worker thread happens to be busy for one of them.
		boolean direct = false;
		for (int i = 0; i < 5 && !direct; i++) {
			Map<?, ?> execution = finished(execute("add", "{\"params\": {\"a\": 1, \"b\": 2}}"));
			assertThat(execution.get("result")).isEqualTo(3);
			direct = execution.get("startedAt") != null && execution.get("startedAt").equals(execution.get("createdAt"));
		}
		assertThat(direct).isTrue();
	}

	private Map<?, ?> finished(URI location) {
		Map<?, ?> execution = this.client.get()
			.uri(location + "?wait=PT10S")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(Map.class)
			.getResponseBody();
		assertThat(execution).isNotNull();
		return execution;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> progress(URI location) {
		Map<String, Object> execution = this.client.get().uri(location).exchange().returnResult(Map.class).getResponseBody();
		return (Map<String, Object>) execution.get("progress");
	}

	private URI execute(String task, String body) {
		URI location = this.client.post()
			.uri(API + "/tasks/{name}/$execute", task)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.task")
			.isEqualTo(task)
			.returnResult()
			.getResponseHeaders()
			.getLocation();
		assertThat(location).isNotNull();
		assertThat(location.getPath()).startsWith(API + "/executions/");
		return location;
	}

	private BodyContentSpec awaitFinished(URI location) {
		return this.client.get()
			.uri(location + "?wait=PT10S")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private BodyContentSpec badRequest(String task, String body) {
		return this.client.post()
			.uri(API + "/tasks/{name}/$execute", task)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400);
	}

	private long executionCount() {
		Map<?, ?> page = this.client.get()
			.uri(API + "/executions?size=1")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(Map.class)
			.getResponseBody();
		assertThat(page).isNotNull();
		return ((Number) page.get("totalElements")).longValue();
	}

}
