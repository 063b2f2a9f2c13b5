package dev.backgroundtasks.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static dev.backgroundtasks.it.AbstractEndToEndTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bad input gets a 400 problem naming the field over REST, and an {@link IllegalArgumentException}
 * naming it from {@link TaskClient}, before anything is stored: never a server error, never a value
 * stored as another. The edges of each range are stored and read back unchanged. Run against H2 and
 * PostgreSQL by the subclasses; the test application has a catch-all exception handler of its own.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AbstractBadInputTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	JdbcTemplate jdbc;

	RestClient http;

	private long before;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/api/v1")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		this.before = countExecutions();
	}

	@ParameterizedTest
	@ValueSource(strings = { "PT2562047788015215H", "PT2562047788015H", "PT876001H", "36501d" })
	void aDelayBeyondAHundredYearsIsRefused(String delay) {
		assertProblem(execute("{\"delay\":\"" + delay + "\"}"), 400, "delay must be between 0 and 36500 days");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.task("greet").delay(Duration.parse(delay.endsWith("d") ? "P36501D" : delay)).submit())
			.withMessageContaining("delay must be between 0 and 36500 days");
		assertNothingStored();
	}

	@Test
	void aDelayOfAHundredYearsIsStored() {
		ResponseEntity<JsonNode> accepted = execute("{\"delay\":\"P36500D\"}");
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		Instant runAt = Instant.parse(accepted.getBody().get("runAt").asString());
		assertThat(runAt).isAfter(Instant.now().plus(Duration.ofDays(36_499)));
		TaskHandle handle = this.tasks.task("greet").delay(Duration.ofDays(36_500)).submit();
		assertThat(handle.execution().runAt()).isAfter(Instant.now().plus(Duration.ofDays(36_499)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "-999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
			"+10000-01-01T00:00:00Z", "+999999-01-01T00:00:00Z" })
	void aRunAtOutsideTheYears1970To9999IsRefused(String runAt) {
		assertProblem(execute("{\"runAt\":\"" + runAt + "\"}"), 400, "runAt must be in the years 1970 to 9999 (UTC)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.task("greet").runAt(Instant.parse(runAt)).submit())
			.withMessageContaining("runAt must be in the years 1970 to 9999 (UTC), got " + Instant.parse(runAt));
		assertNothingStored();
	}

	@ParameterizedTest
	@ValueSource(strings = { "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z" })
	void theFirstAndLastRunAtAreStoredAsGiven(String runAt) {
		ResponseEntity<JsonNode> accepted = execute("{\"runAt\":\"" + runAt + "\",\"key\":\"edge-" + UUID.randomUUID()
				+ "\"}");
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		assertThat(accepted.getBody().get("runAt").asString()).isEqualTo(runAt);
		Execution stored = this.tasks.task("greet").runAt(Instant.parse(runAt)).submit().execution();
		assertThat(stored.runAt()).isEqualTo(Instant.parse(runAt));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2147483648", "-2147483649", "1e10", "1.5", "\"high\"" })
	void aPriorityTheColumnCannotHoldIsRefused(String priority) {
		assertProblem(execute("{\"priority\":" + priority + "}"), 400,
				"'priority' must be an integer from -2147483648 to 2147483647, got ");
		assertNothingStored();
	}

	@Test
	void theLowestAndHighestPrioritiesAreStored() {
		for (int priority : new int[] { Integer.MIN_VALUE, Integer.MAX_VALUE }) {
			ResponseEntity<JsonNode> accepted = execute("{\"priority\":" + priority + ",\"delay\":\"PT1H\"}");
			assertThat(accepted.getBody().get("priority").asInt()).isEqualTo(priority);
			assertThat(this.tasks.task("greet").priority(priority).delay(Duration.ofHours(1)).submit().execution()
				.priority()).isEqualTo(priority);
		}
	}

	@Test
	void aKeyWithCharactersTheDatabaseCannotStoreIsRefused() {
		assertProblem(execute("{\"key\":\"a\\u0000b\"}"), 400, "key must not contain the NUL character (U+0000)");
		assertProblem(execute("{\"key\":\"a\\ud800b\"}"), 400, "key must be valid Unicode");
		assertProblem(execute("{\"key\":\"\\udc00\"}"), 400, "key must be valid Unicode");
		assertProblem(execute("{\"key\":\"" + "k".repeat(201) + "\"}"), 400,
				"key must be 1 to 200 characters, not blank, got 201 characters");
		assertProblem(execute("{\"key\":\" \"}"), 400, "key must be 1 to 200 characters");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.task("greet").key("a\u0000b").submit())
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.task("greet").key("\ud800").submit())
			.withMessageContaining("unpaired surrogate (U+D800) at index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.task("greet").key("k".repeat(201)).submit())
			.withMessageContaining("key must be 1 to 200 characters");
		assertNothingStored();
	}

	@Test
	void aKeyOfTwoHundredCharactersOutsideAsciiIsStoredAsGiven() {
		// An emoji is two UTF-16 characters: H2 counts those, PostgreSQL code points.
		String emoji = "\uD83D\uDE00".repeat(99) + "é!";
		assertThat(emoji).hasSize(200);
		String body = "{\"key\":\"" + emoji + "\",\"delay\":\"PT1H\"}";
		ResponseEntity<JsonNode> accepted = execute(body);
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		assertThat(accepted.getBody().get("key").asString()).isEqualTo(emoji);
		ResponseEntity<JsonNode> again = execute(body);
		assertThat(again.getStatusCode().value()).as("the same key, found again").isEqualTo(200);
		assertThat(this.tasks.task("greet").key(emoji).submit().id().toString())
			.isEqualTo(accepted.getBody().get("id").asString());
	}

	@Test
	void aTaskFilterThatIsNoTaskNameIsRefused() {
		ResponseEntity<JsonNode> nul = this.http.get().uri("/executions?task={task}", "a\u0000b").retrieve()
			.toEntity(JsonNode.class);
		assertProblem(nul, 400, "Query parameter 'task' must be a task name");
		assertProblem(this.http.get().uri("/executions?task={task}", "daily report").retrieve().toEntity(JsonNode.class),
				400, "got 'daily report'");
		assertThat(this.http.get().uri("/executions?task=gone-task").retrieve().toEntity(JsonNode.class)
			.getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void aBadListingFilterIsRefusedNamingTheParameterAndWhatItAccepts() {
		assertProblem(get("/executions?trigger=cron"), 400,
				"Query parameter 'trigger' must be one of [API, CODE, SCHEDULE, RETRY] (any case), got 'cron'");
		assertProblem(get("/executions?status=done"), 400, "Query parameter 'status' must be one of [WAITING, READY, RUNNING,");
		assertProblem(get("/executions?from=yesterday"), 400,
				"Query parameter 'from' must be an ISO-8601 instant such as 2026-12-01T09:00:00Z");
		assertProblem(get("/executions?to=2026-13-01T00:00:00Z"), 400,
				"Query parameter 'to' must be an ISO-8601 instant");
		assertProblem(get("/executions?from=2026-12-01"), 400, "got '2026-12-01'");
		// An offset's '+' that is not encoded arrives as a space.
		assertProblem(get("/executions?from=2026-12-01T10:00:00+01:00"), 400, "(a '+' encoded)");
		assertProblem(get("/executions?from=1969-12-31T23:59:59Z"), 400,
				"Query parameter 'from' must be in the years 1970 to 9999 (UTC), got 1969-12-31T23:59:59Z");
		assertProblem(this.http.get().uri("/executions?to={to}", "+10000-01-01T00:00:00Z").retrieve()
			.toEntity(JsonNode.class), 400, "Query parameter 'to' must be in the years 1970 to 9999 (UTC)");
		assertProblem(get("/executions?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z"), 400,
				"Query parameter 'from' must not be after 'to'");
		for (String parameter : new String[] { "key", "node", "submittedBy" }) {
			assertProblem(this.http.get().uri("/executions?" + parameter + "={value}", "a\u0000b").retrieve()
				.toEntity(JsonNode.class), 400, "Query parameter '" + parameter + "' must not contain NUL characters");
		}
		assertThat(get("/executions?trigger=Schedule&from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z&key=&node=")
			.getStatusCode().value()).as("the edges of each range, and blanks").isEqualTo(200);
		assertThat(get("/executions?tag=no-such-tag").getBody().get("totalElements").asLong()).isZero();
	}

	@Test
	void theStreamOfAnUnknownTaskIsNotFound() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		for (String accept : new String[] { "text/event-stream", "*/*" }) {
			HttpResponse<String> response = client.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/executions/stream?task=nope"))
				.header("Accept", accept)
				.timeout(Duration.ofSeconds(10))
				.build(), BodyHandlers.ofString());
			assertThat(response.statusCode()).as(accept).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			JsonNode problem = JsonMapper.builder().build().readTree(response.body());
			assertThat(problem.get("detail").asString()).isEqualTo("No task named 'nope' is registered");
			assertThat(problem.get("task").asString()).isEqualTo("nope");
		}
	}

	@Test
	void theStarterAnswersItsOwnErrorsBeforeTheApplicationsCatchAllHandler() {
		ResponseEntity<JsonNode> application = RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/app/fail")
			.retrieve()
			.onStatus(HttpStatusCode::isError, (request, response) -> {
			})
			.toEntity(JsonNode.class);
		assertThat(application.getStatusCode().value()).isEqualTo(500);
		assertThat(application.getBody().get("handledBy").asString()).isEqualTo("application");
		assertProblem(get("/tasks/nope"), 404, "No task named 'nope'");
		assertProblem(get("/executions?page=x"), 400, "'page' must be int");
		assertProblem(get("/executions/0190c5b2-0000-7000-8000-000000000000"), 404, "No execution");
		assertProblem(execute("{\"delay\":\"PT2562047788015215H\"}"), 400, "delay must be between");
		ResponseEntity<JsonNode> xml = this.http.get().uri("/tasks").accept(MediaType.APPLICATION_XML).retrieve()
			.toEntity(JsonNode.class);
		assertThat(xml.getStatusCode().value()).isEqualTo(406);
		assertThat(xml.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void afterStoresAWaitingExecutionListedByItsStatusAndRefusesUnknownIds() {
		// Due in an hour: the parent stays READY, its child WAITING.
		String parent = execute("{\"delay\":\"PT1H\"}").getBody().get("id").asString();
		ResponseEntity<JsonNode> child = execute("{\"after\":[\"" + parent + "\"]}");
		assertThat(child.getStatusCode().value()).isEqualTo(202);
		assertThat(child.getBody().get("status").asString()).isEqualTo("WAITING");
		assertThat(child.getBody().get("after").get(0).asString()).isEqualTo(parent);
		String id = child.getBody().get("id").asString();
		JsonNode waiting = get("/executions?status=WAITING&size=200").getBody();
		assertThat(waiting.get("content").valueStream().map((execution) -> execution.get("id").asString()))
			.contains(id);
		assertThat(waiting.get("content").valueStream().map((execution) -> execution.get("status").asString()))
			.containsOnly("WAITING");
		this.before = countExecutions();
		String unknown = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> refused = execute("{\"after\":[\"" + parent + "\",\"" + unknown + "\"]}");
		assertProblem(refused, 400, unknown);
		assertThat(refused.getBody().get("after").valueStream().map(JsonNode::asString)).containsExactly(unknown);
		assertProblem(execute("{\"after\":[\"nope\"]}"), 400, "'after' must be an array of execution ids");
		assertProblem(execute("{\"after\":[\"" + parent + "\"],\"key\":\"k\"}"), 400, "either after or key");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.task("greet").after(UUID.fromString(unknown)).submit())
			.withMessageContaining(unknown);
		assertNothingStored();
		// Cancelling the parent cancels the child, naming it.
		assertThat(this.http.post().uri("/executions/" + parent + "/$cancel").retrieve().toEntity(JsonNode.class)
			.getStatusCode().value()).isEqualTo(202);
		JsonNode cancelled = get("/executions/" + id).getBody();
		assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(cancelled.get("error").get("type").asString()).isEqualTo("dev.backgroundtasks.DependencyFailedException");
		assertThat(cancelled.get("error").get("message").asString()).contains(parent);
	}

	@Test
	void anInvalidBatchIsRefusedNamingItsMemberAndNothingIsStored() {
		ResponseEntity<JsonNode> unknown = batch("{\"executions\":[{\"task\":\"greet\",\"params\":{\"name\":\"a\"}},"
				+ "{\"task\":\"nope\"}]}");
		assertProblem(unknown, 400, "Batch member 1 is invalid: ");
		assertThat(unknown.getBody().get("index").asInt()).isEqualTo(1);
		assertThat(unknown.getBody().get("member").asString()).isEqualTo("executions[1]");
		assertThat(unknown.getBody().get("task").asString()).isEqualTo("nope");
		ResponseEntity<JsonNode> params = batch("{\"executions\":[{\"task\":\"greet\",\"params\":{\"name\":\"a\"}},"
				+ "{\"task\":\"greet\",\"params\":{\"name\":\"b\"}},{\"task\":\"greet\",\"params\":{\"nam\":1}}]}");
		assertProblem(params, 400, "Batch member 2 is invalid: Invalid params for task 'greet'");
		assertThat(params.getBody().get("index").asInt()).isEqualTo(2);
		assertThat(params.getBody().get("errors").valueStream().map((error) -> error.get("parameter").asString()))
			.containsExactly("nam");
		ResponseEntity<JsonNode> callback = batch("{\"executions\":[{\"task\":\"greet\",\"params\":{\"name\":\"a\"}}],"
				+ "\"onComplete\":{\"task\":\"batchDone\",\"params\":{\"label\":\"x\",\"counts\":{}}}}");
		assertProblem(callback, 400, "Batch callback (onComplete) is invalid");
		assertThat(callback.getBody().get("member").asString()).isEqualTo("onComplete");
		assertThat(callback.getBody().has("index")).isFalse();
		assertProblem(batch("{\"executions\":[]}"), 400, "A batch needs at least one member");
		assertProblem(batch("{}"), 400, "'executions' must be an array");
		assertProblem(batch(""), 400, "The request body must be a JSON object");
		assertProblem(batch("{\"executions\":[{\"task\":\"greet\",\"params\":[1]}]}"), 400,
				"'executions[0].params' must be a JSON object");
		assertProblem(batch("{\"executions\":[{\"name\":\"greet\"}]}"), 400, "Unknown field 'name' in 'executions[0]'");
		assertProblem(batch("{\"executions\":[{\"task\":\"greet\"}],\"after\":[]}"), 400, "Unknown field 'after'");
		assertThat(this.http.post().uri("/batches").contentType(MediaType.TEXT_PLAIN).body("{}").retrieve()
			.toEntity(JsonNode.class).getStatusCode().value()).isEqualTo(415);
		assertNothingStored();
	}

	private ResponseEntity<JsonNode> batch(String body) {
		RestClient.RequestBodySpec request = this.http.post().uri("/batches");
		if (!body.isEmpty()) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.retrieve().toEntity(JsonNode.class);
	}

	private ResponseEntity<JsonNode> execute(String body) {
		return this.http.post()
			.uri("/tasks/greet/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private ResponseEntity<JsonNode> get(String path) {
		return this.http.get().uri(path).retrieve().toEntity(JsonNode.class);
	}

	private void assertNothingStored() {
		assertThat(countExecutions()).isEqualTo(this.before);
	}

	private long countExecutions() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

}
