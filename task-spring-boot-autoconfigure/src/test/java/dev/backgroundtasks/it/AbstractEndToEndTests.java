package dev.backgroundtasks.it;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionFailedException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionIds;
import dev.backgroundtasks.execution.ExecutionPage;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.app.Color;
import dev.backgroundtasks.it.app.NoteRepository;
import dev.backgroundtasks.it.app.Point;
import dev.backgroundtasks.it.app.Summary;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The user's path end to end, over real HTTP and through {@link TaskClient}: run against H2 and against
 * PostgreSQL by the subclasses. The application has its own entity and Flyway migration and runs with
 * {@code ddl-auto=validate}.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AbstractEndToEndTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	JsonMapper mapper;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	NoteRepository notes;

	@Autowired
	ExecutionQueries queries;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/api/v1")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void listsTasksFiltersByAllTagsAndDescribesOne() {
		assertThat(names(get("/tasks").getBody())).contains("add", "greet", "describe", "explode", "count");
		assertThat(names(get("/tasks?tags=math,quick").getBody())).containsExactly("add");
		assertThat(names(get("/tasks?tags=quick").getBody())).containsExactly("add", "greet");
		JsonNode greet = get("/tasks/greet").getBody();
		assertThat(greet.get("method").asString()).isEqualTo("dev.backgroundtasks.it.app.TestTasks#greeting(String)");
		assertThat(greet.get("signature").asString()).isEqualTo("greeting(String name) -> String");
		JsonNode parameter = greet.get("parameters").get(0);
		assertThat(parameter.get("name").asString()).isEqualTo("name");
		assertThat(parameter.get("type").asString()).isEqualTo("java.lang.String");
		assertThat(parameter.get("required").asBoolean()).isFalse();
		assertThat(parameter.get("defaultValue").asString()).isEqualTo("World");
		assertThat(parameter.get("description").asString()).isEqualTo("who to greet");
		assertThat(greet.get("partitionBy").isNull()).isTrue();
		assertThat(greet.get("rate").isNull()).isTrue();
		JsonNode perCustomer = get("/tasks/perCustomer").getBody();
		assertThat(perCustomer.get("partitionBy").asString()).isEqualTo("customer");
		assertThat(perCustomer.get("concurrency").asInt()).isEqualTo(2);
		assertThat(perCustomer.get("rate").isNull()).isTrue();
		JsonNode rated = get("/tasks/rated").getBody();
		assertThat(rated.get("rate").asString()).isEqualTo("5/500ms");
		assertThat(rated.get("partitionBy").isNull()).isTrue();
		assertThat(rated.get("concurrency").asInt()).isZero();
		ResponseEntity<JsonNode> unknown = get("/tasks/nope");
		assertProblem(unknown, 404, "No task named 'nope'");
	}

	@Test
	void executesOverRestAndFollowsLocationToTheResult() {
		ResponseEntity<JsonNode> accepted = post("/tasks/add/$execute", "{\"params\":{\"a\":2,\"b\":40}}");
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		URI location = accepted.getHeaders().getLocation();
		assertThat(location).isNotNull();
		assertThat(accepted.getBody().get("task").asString()).isEqualTo("add");
		assertThat(accepted.getBody().get("trigger").asString()).isEqualTo("API");
		assertThat(location.toString()).endsWith("/api/v1/executions/" + accepted.getBody().get("id").asString());
		JsonNode done = this.http.get().uri(location + "?wait=PT10S").retrieve().body(JsonNode.class);
		assertThat(done.get("status").asString()).isEqualTo("SUCCESSFUL");
		assertThat(done.get("result").asInt()).isEqualTo(42);
		assertThat(done.get("attempt").asInt()).isEqualTo(1);
		assertThat(done.get("node").asString()).isNotBlank();
		assertThat(done.get("startedAt").isNull()).isFalse();
		assertThat(done.get("finishedAt").isNull()).isFalse();
	}

	@Test
	void emptyBodyUsesDefaults() {
		ResponseEntity<JsonNode> accepted = post("/tasks/greet/$execute", null);
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		JsonNode done = awaitOverRest(accepted);
		assertThat(done.get("result").asString()).isEqualTo("Hello, World!");
	}

	@Test
	void failingTaskEndsFailedWithTypeMessageAndStackTrace() {
		JsonNode done = awaitOverRest(post("/tasks/explode/$execute", "{\"params\":{\"reason\":\"on purpose\"}}"));
		assertThat(done.get("status").asString()).isEqualTo("FAILED");
		JsonNode error = done.get("error");
		assertThat(error.get("type").asString()).isEqualTo("java.lang.IllegalStateException");
		assertThat(error.get("message").asString()).isEqualTo("Exploded: on purpose");
		assertThat(error.get("stackTrace").asString()).contains("TestTasks.explode");
		assertThat(done.get("result").isNull()).isTrue();
	}

	@Test
	void listsTheAttemptsOfAnExecutionThatFailedOnceThenSucceeded() {
		String key = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> accepted = post("/tasks/slowRetry/$execute", "{\"params\":{\"key\":\"" + key + "\"}}");
		String id = accepted.getBody().get("id").asString();
		JsonNode done = this.http.get().uri("/executions/{id}?wait=PT15S", id).retrieve().body(JsonNode.class);
		assertThat(done.get("status").asString()).isEqualTo("SUCCESSFUL");
		ResponseEntity<JsonNode> response = get("/executions/" + id + "/attempts");
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		JsonNode attempts = response.getBody();
		assertThat(attempts.isArray()).isTrue();
		assertThat(attempts).hasSize(2);
		JsonNode failed = attempts.get(0);
		assertThat(failed.get("attempt").asInt()).isEqualTo(1);
		assertThat(failed.get("outcome").asString()).isEqualTo("FAILED");
		assertThat(failed.get("node").asString()).isNotBlank();
		assertThat(Instant.parse(failed.get("finishedAt").asString()))
			.isAfterOrEqualTo(Instant.parse(failed.get("startedAt").asString()));
		JsonNode error = failed.get("error");
		assertThat(error.get("type").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.get("message").asString()).isEqualTo("Failure 1 of " + key);
		assertThat(error.get("stackTrace").asString()).contains("EngineTasks.flaky");
		JsonNode succeeded = attempts.get(1);
		assertThat(succeeded.get("attempt").asInt()).isEqualTo(2);
		assertThat(succeeded.get("outcome").asString()).isEqualTo("SUCCEEDED");
		assertThat(succeeded.get("error").isNull()).isTrue();
		assertThat(succeeded.get("node").asString()).isEqualTo(done.get("node").asString());
		assertThat(Instant.parse(succeeded.get("startedAt").asString()))
			.isEqualTo(Instant.parse(done.get("startedAt").asString()))
			.isAfterOrEqualTo(Instant.parse(failed.get("finishedAt").asString()));
		assertThat(Instant.parse(succeeded.get("finishedAt").asString()))
			.isEqualTo(Instant.parse(done.get("finishedAt").asString()));
		assertThat(this.queries.attempts(UUID.fromString(id))).hasSize(2);
	}

	@Test
	void anExecutionThatNeverStartedHasNoAttemptsAndAnUnknownOneIsAProblem() {
		TaskHandle later = this.tasks.task("greet").delay(Duration.ofHours(1)).submit();
		ResponseEntity<JsonNode> none = get("/executions/" + later.id() + "/attempts");
		assertThat(none.getStatusCode().value()).isEqualTo(200);
		assertThat(none.getBody()).isEmpty();
		later.cancel();
		assertThat(get("/executions/" + later.id() + "/attempts").getBody()).isEmpty();
		assertProblem(get("/executions/0190c5b2-0000-7000-8000-000000000000/attempts"), 404, "No execution");
		assertProblem(get("/executions/not-a-uuid/attempts"), 400, "not a valid execution id");
	}

	@Test
	void badRequestsAreProblemsAndStoreNothing() {
		long before = countExecutions();
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":1,"), 400, "Malformed JSON");
		ResponseEntity<JsonNode> missing = post("/tasks/add/$execute", "{\"params\":{\"a\":1}}");
		assertProblem(missing, 400, "'b': is required");
		assertThat(missing.getBody().get("errors").get(0).get("parameter").asString()).isEqualTo("b");
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":1,\"b\":2,\"c\":3}}"), 400,
				"'c': is not a parameter");
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":\"one\",\"b\":2}}"), 400, "'a': expected int");
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":2.5,\"b\":2}}"), 400, "'a': expected int");
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":\"2\",\"b\":2}}"), 400, "'a': expected int");
		ResponseEntity<JsonNode> all = post("/tasks/add/$execute", "{\"params\":{\"a\":\"x\",\"zz\":1}}");
		assertThat(all.getBody().get("errors")).hasSize(3);
		assertProblem(post("/tasks/nope/$execute", "{}"), 404, "No task named 'nope'");
		assertProblem(post("/tasks/add/$execute", "[1,2]"), 400, "must be a JSON object");
		assertProblem(post("/tasks/add/$execute", "{\"parms\":{}}"), 400, "Unknown field 'parms'");
		assertProblem(post("/tasks/add/$execute", "{\"params\":{\"a\":\"" + "x".repeat(70_000) + "\"}}"), 413,
				"larger than the limit");
		assertThat(countExecutions()).isEqualTo(before);
	}

	@Test
	void badQueriesAreProblems() {
		assertProblem(get("/executions/not-a-uuid"), 400, "not a valid execution id");
		assertProblem(get("/executions/0190c5b2-0000-7000-8000-000000000000"), 404, "No execution");
		assertProblem(get("/executions?status=DONE"), 400, "'status' must be one of");
		assertProblem(get("/executions?size=0"), 400, "'size' must be between");
		assertProblem(get("/executions?page=x"), 400, "'page' must be int");
		assertProblem(get("/executions/0190c5b2-0000-7000-8000-000000000000?wait=forever"), 400, "'wait' must be");
		assertProblem(post("/executions/0190c5b2-0000-7000-8000-000000000000/$cancel", null), 404, "No execution");
	}

	@Test
	void bindsRecordsCollectionsEnumsInstantsAndOptionals() {
		String params = "{\"point\":{\"x\":1,\"y\":2},\"numbers\":[3,4],\"weights\":{\"w\":5},\"color\":\"GREEN\","
				+ "\"at\":\"2026-11-22T10:15:30Z\",\"comment\":\"hi\"}";
		JsonNode done = awaitOverRest(post("/tasks/describe/$execute", "{\"params\":" + params + "}"));
		assertThat(done.get("status").asString()).isEqualTo("SUCCESSFUL");
		JsonNode result = done.get("result");
		assertThat(result.get("point").get("y").asInt()).isEqualTo(2);
		assertThat(result.get("color").asString()).isEqualTo("GREEN");
		assertThat(result.get("label").asString()).isEqualTo("none");
		assertThat(result.get("comment").asString()).isEqualTo("hi");
		assertThat(done.get("params").get("numbers").get(1).asInt()).isEqualTo(4);
	}

	@Test
	void javaClientSubmitsAndAwaitsTypedResults() {
		TaskHandle handle = this.tasks.submit("describe",
				Map.of("point", new Point(5, 6), "numbers", List.of(1), "weights", Map.of("k", 2), "color", Color.BLUE,
						"at", java.time.Instant.parse("2026-01-01T00:00:00Z")));
		Summary summary = (Summary) handle.await(Duration.ofSeconds(10));
		assertThat(summary.point()).isEqualTo(new Point(5, 6));
		assertThat(summary.comment()).isEmpty();
		assertThat(handle.status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(handle.execution().trigger().name()).isEqualTo("CODE");
		assertThat(this.tasks.submit("add", Map.of("a", 1, "b", 2)).await(Duration.ofSeconds(10), Integer.class))
			.isEqualTo(3);
		TaskHandle failing = this.tasks.submit("explode", Map.of("reason", "java"));
		assertThatExceptionOfType(ExecutionFailedException.class).isThrownBy(() -> failing.await(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getError().message()).isEqualTo("Exploded: java"));
	}

	@Test
	void tasksUseTheApplicationsOwnEntitiesInItsTransaction() {
		long id = System.nanoTime();
		Object text = this.tasks.submit("saveNote", Map.of("id", id, "text", "kept")).await(Duration.ofSeconds(10));
		assertThat(text).isEqualTo("kept");
		assertThat(this.notes.findById(id)).isPresent();
		// Flyway quotes its lower-case names: with the database's own quotes (MariaDB's are back-ticks).
		String quote = this.jdbc.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData()
			.getIdentifierQuoteString());
		for (String history : List.of("bgt_schema_history", "flyway_schema_history")) {
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM " + quote + history + quote + " WHERE " + quote
					+ "success" + quote + " = TRUE", Integer.class))
				.isPositive();
		}
	}

	@Test
	void listsExecutionsNewestFirstAndFilters() {
		TaskHandle first = this.tasks.submit("greet", Map.of("name", "one"));
		TaskHandle second = this.tasks.submit("greet", Map.of("name", "two"));
		second.await(Duration.ofSeconds(10));
		first.await(Duration.ofSeconds(10));
		JsonNode page = get("/executions?task=greet&status=SUCCESSFUL&size=2").getBody();
		assertThat(page.get("content").get(0).get("id").asString()).isEqualTo(second.id().toString());
		assertThat(page.get("content").get(1).get("id").asString()).isEqualTo(first.id().toString());
		assertThat(page.get("size").asInt()).isEqualTo(2);
		assertThat(page.get("totalElements").asLong()).isGreaterThanOrEqualTo(2);
		assertProblem(post("/executions/" + first.id() + "/$cancel", null), 409, "already finished");
	}

	@Test
	void listsRunningExecutionsOfATaskInTheirPlaceNewestFirst() {
		// RUNNING rows are read apart from the others (PostgreSQL's task index leaves them out): they must
		// still come in id order, be paged and counted. Held by another node with a long lease, nothing
		// here moves them; no READY row, so no worker takes any.
		String task = "listing-" + ExecutionIds.next();
		List<UUID> ids = List.of(ExecutionIds.next(3));
		List<UUID> newer = List.of(ExecutionIds.next(2));
		insertRow(ids.get(0), task, "FAILED");
		insertRow(ids.get(1), task, "RUNNING");
		insertRow(ids.get(2), task, "SUCCESSFUL");
		insertRow(newer.get(0), task, "RUNNING");
		insertRow(newer.get(1), task, "CANCELLED");
		List<UUID> newestFirst = List.of(newer.get(1), newer.get(0), ids.get(2), ids.get(1), ids.get(0));
		List<UUID> listed = new ArrayList<>();
		for (int page = 0; page < 3; page++) {
			ExecutionPage result = this.queries.page(new ExecutionFilter(task, null), page, 2);
			assertThat(result.totalElements()).isEqualTo(5);
			assertThat(result.totalPages()).isEqualTo(3);
			result.content().forEach((execution) -> listed.add(execution.id()));
		}
		assertThat(listed).containsExactlyElementsOf(newestFirst);
		assertThat(this.queries.page(new ExecutionFilter(task, TaskStatus.RUNNING), 0, 10).content())
			.extracting(Execution::id)
			.containsExactly(newer.get(0), ids.get(1));
		assertThat(this.queries.page(new ExecutionFilter(task, TaskStatus.FAILED), 0, 10).content())
			.extracting(Execution::id)
			.containsExactly(ids.get(0));
		assertThat(this.queries.latest(task)).map(Execution::id).contains(newer.get(1));
		this.jdbc.update("UPDATE bgt_execution SET status = 'RUNNING', node = 'elsewhere', finished_at = NULL,"
				+ " lease_until = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE id = ?", newer.get(1));
		assertThat(this.queries.latest(task)).as("a RUNNING row is the newest").map(Execution::id).contains(newer.get(1));
		JsonNode page = get("/executions?task=" + task + "&size=10").getBody();
		assertThat(page.get("content").get(0).get("id").asString()).isEqualTo(newer.get(1).toString());
		assertThat(page.get("totalElements").asLong()).isEqualTo(5);
		this.jdbc.update("DELETE FROM bgt_execution WHERE task_name = ?", task);
	}

	@Test
	void listsExecutionsByTagKeyNodeTriggerAndCreationTimeOverRest() {
		String key = "listing-" + UUID.randomUUID();
		TaskHandle add = this.tasks.task("add").param("a", 1).param("b", 2).key(key).submit();
		add.await(Duration.ofSeconds(10));
		TaskHandle greet = this.tasks.task("greet").key(key).submit();
		greet.await(Duration.ofSeconds(10));
		UUID addId = add.id();
		UUID greetId = greet.id();
		String byKey = "/executions?key=" + key;
		assertThat(listed(byKey)).containsExactly(greetId, addId);
		assertThat(listed(byKey + "&tag=math")).containsExactly(addId);
		assertThat(listed(byKey + "&tag=math,quick")).as("all the tags").containsExactly(addId);
		assertThat(listed(byKey + "&tag=math&tag=quick")).containsExactly(addId);
		assertThat(listed(byKey + "&tag=quick")).containsExactly(greetId, addId);
		assertThat(listed(byKey + "&tag=math&task=greet")).as("a task without the tag").isEmpty();
		assertThat(listed(byKey + "&tag=quick&task=greet")).containsExactly(greetId);
		assertThat(listed(byKey + "&tag=nope")).isEmpty();
		assertThat(listed(byKey + "&trigger=code&status=successful")).containsExactly(greetId, addId);
		assertThat(listed(byKey + "&trigger=API")).isEmpty();
		String node = this.queries.find(greetId).orElseThrow().node();
		assertThat(listed(byKey + "&node={node}", node)).containsExactly(greetId, addId);
		assertThat(listed(byKey + "&node=elsewhere")).isEmpty();
		// The creation time an id holds, to the millisecond: add's is not after greet's.
		Instant greetCreated = Instant.ofEpochMilli(greetId.getMostSignificantBits() >>> 16);
		assertThat(listed(byKey + "&from=" + greetCreated)).contains(greetId);
		assertThat(listed(byKey + "&to=" + greetCreated)).doesNotContain(greetId);
		assertThat(listed(byKey + "&from={from}&to={to}", greetCreated.minusSeconds(60), greetCreated.plusMillis(1)))
			.containsExactly(greetId, addId);
		String withOffset = greetCreated.plusMillis(1).atOffset(ZoneOffset.ofHours(1)).toString();
		assertThat(listed(byKey + "&to={to}", withOffset)).as(withOffset).containsExactly(greetId, addId);
	}

	private List<UUID> listed(String uri, Object... variables) {
		ResponseEntity<JsonNode> page = this.http.get().uri(uri, variables).retrieve().toEntity(JsonNode.class);
		assertThat(page.getStatusCode().value()).as(String.valueOf(page.getBody())).isEqualTo(200);
		return page.getBody().get("content").valueStream()
			.map((execution) -> UUID.fromString(execution.get("id").asString()))
			.toList();
	}

	private void insertRow(UUID id, String task, String status) {
		boolean running = status.equals("RUNNING");
		this.jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, max_attempts,"
				+ " max_concurrency, priority, node, created_at, run_at, started_at, finished_at, lease_until) VALUES"
				+ " (?, ?, ?, 'CODE', '{}', 1, 1, 0, 0, 'elsewhere', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
				+ (running ? "NULL, CURRENT_TIMESTAMP + INTERVAL '1' HOUR" : "CURRENT_TIMESTAMP, NULL") + ")", id, task,
				status);
	}

	@Test
	void submitsABatchOverRestAndShowsItsProgressUntilTheCallbackRan() {
		ResponseEntity<JsonNode> accepted = this.http.post()
			.uri("/batches")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"executions\":[{\"task\":\"batchMember\",\"params\":{\"millis\":1,\"fail\":false}},"
					+ "{\"task\":\"batchMember\",\"params\":{\"millis\":1,\"fail\":true}},"
					+ "{\"task\":\"greet\",\"params\":{\"name\":\"batch\"}}],"
					+ "\"onComplete\":{\"task\":\"batchDone\",\"params\":{\"label\":\"rest\"}}}")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		JsonNode body = accepted.getBody();
		String id = body.get("id").asString();
		assertThat(accepted.getHeaders().getLocation().toString()).endsWith("/api/v1/batches/" + id);
		assertThat(fields(body)).containsExactly("id", "size", "counts", "done");
		assertThat(body.get("size").asInt()).isEqualTo(3);
		assertThat(body.get("done").asBoolean()).isFalse();
		assertThat(body.get("counts").get("SUCCESSFUL").asInt() + body.get("counts").get("FAILED").asInt()
				+ body.get("counts").path("READY").asInt(0) + body.get("counts").path("RUNNING").asInt(0))
			.isEqualTo(3);
		JsonNode done = await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/batches/" + id).getBody(), (batch) -> batch.get("done").asBoolean());
		assertThat(fields(done)).containsExactly("id", "size", "counts", "done");
		assertThat(done.get("counts").toString()).isEqualTo("{\"SUCCESSFUL\":2,\"FAILED\":1,\"CANCELLED\":0}");
		JsonNode members = get("/executions?batchId=" + id).getBody().get("content");
		assertThat(members.size()).isEqualTo(3);
		members.valueStream().forEach((member) -> assertThat(member.get("batchId").asString()).isEqualTo(id));
		JsonNode callback = await().atMost(Duration.ofSeconds(15))
			.until(() -> get("/executions?task=batchDone&size=100").getBody().get("content").valueStream()
				.filter((execution) -> execution.get("params").get("batchId").asString().equals(id))
				.findFirst()
				.orElse(null), (found) -> found != null && found.get("status").asString().equals("SUCCESSFUL"));
		assertThat(callback.get("result").asString()).isEqualTo("rest 2/1/0");
		assertThat(callback.get("trigger").asString()).isEqualTo("API");
		assertThat(callback.get("batchId").isNull()).as("the callback is no member").isTrue();
		assertProblem(get("/batches/" + UUID.randomUUID()), 404, "No batch with id");
		assertProblem(get("/batches/not-a-uuid"), 400, "Batch id must be a UUID");
		assertProblem(get("/executions?batchId=nope"), 400, "Query parameter 'batchId' must be a UUID");
	}

	private static List<String> fields(JsonNode object) {
		return List.copyOf(object.propertyNames());
	}

	private JsonNode awaitOverRest(ResponseEntity<JsonNode> accepted) {
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		return this.http.get()
			.uri(accepted.getHeaders().getLocation() + "?wait=PT10S")
			.retrieve()
			.body(JsonNode.class);
	}

	long countExecutions() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
	}

	@Test
	void showsSchedulesAndDisablesAndEnablesATaskForEveryNode() {
		JsonNode digest = get("/tasks/new-year-digest").getBody();
		assertThat(digest.get("enabled").asBoolean()).isTrue();
		JsonNode schedule = digest.get("schedules").get(0);
		assertThat(schedule.get("expression").asString()).isEqualTo("0 3 1 1 *");
		assertThat(schedule.get("zone").asString()).isEqualTo("Europe/London");
		assertThat(java.time.Instant.parse(schedule.get("nextRunAt").asString())
			.atZone(java.time.ZoneId.of("Europe/London"))
			.toLocalDateTime()).satisfies((next) -> assertThat(next.toLocalTime()).isEqualTo("03:00")
				.satisfies((time) -> assertThat(next.getDayOfYear()).isOne()));
		assertThat(digest.get("lastExecution").isNull()).isTrue();
		ResponseEntity<JsonNode> disabled = post("/tasks/new-year-digest/$disable", null);
		assertThat(disabled.getStatusCode().value()).isEqualTo(200);
		assertThat(disabled.getBody().get("enabled").asBoolean()).isFalse();
		assertThat(disabled.getBody().get("schedules").get(0).get("nextRunAt").isNull()).isTrue();
		long before = this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class);
		ResponseEntity<JsonNode> rejected = post("/tasks/new-year-digest/$execute", null);
		assertProblem(rejected, 409, "Task 'new-year-digest' is disabled; enable it with POST /tasks/new-year-digest/$enable");
		assertThat(rejected.getBody().get("task").asString()).isEqualTo("new-year-digest");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution", Long.class)).isEqualTo(before);
		assertThatExceptionOfType(dev.backgroundtasks.TaskDisabledException.class)
			.isThrownBy(() -> this.tasks.submit("new-year-digest"));
		ResponseEntity<JsonNode> enabled = post("/tasks/new-year-digest/$enable", null);
		assertThat(enabled.getStatusCode().value()).isEqualTo(200);
		assertThat(enabled.getBody().get("enabled").asBoolean()).isTrue();
		assertThat(this.tasks.submit("new-year-digest").await(Duration.ofSeconds(10))).isEqualTo("digest");
		JsonNode last = get("/tasks/new-year-digest").getBody().get("lastExecution");
		assertThat(last.get("status").asString()).isEqualTo("SUCCESSFUL");
		assertThat(last.get("finishedAt").isNull()).isFalse();
		assertProblem(post("/tasks/nope/$disable", null), 404, "No task named 'nope' is registered");
	}

	ResponseEntity<JsonNode> get(String path) {
		return this.http.get().uri(path).retrieve().toEntity(JsonNode.class);
	}

	ResponseEntity<JsonNode> post(String path, String body) {
		RestClient.RequestBodySpec request = this.http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.body(body);
		}
		return request.retrieve().toEntity(JsonNode.class);
	}

	static void assertProblem(ResponseEntity<JsonNode> response, int status, String detail) {
		assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(status);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody().get("status").asInt()).isEqualTo(status);
		assertThat(response.getBody().get("detail").asString()).contains(detail);
	}

	private static List<String> names(JsonNode tasks) {
		return tasks.valueStream().map((task) -> task.get("name").asString()).toList();
	}

}
