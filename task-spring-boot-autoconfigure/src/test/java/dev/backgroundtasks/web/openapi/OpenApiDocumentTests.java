package dev.backgroundtasks.web.openapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import dev.backgroundtasks.web.openapi.app.OpenApiTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document springdoc serves at {@code /v3/api-docs} for an application with tasks: the REST
 * API's operations with their answers, problems and body, and one operation per task that may be
 * submitted over REST, its body generated from the task's parameters.
 */
@SpringBootTest(classes = OpenApiTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:openapi-${random.uuid};DB_CLOSE_DELAY=-1")
class OpenApiDocumentTests {

	private static final String BASE = "/api/v1";

	private static final String PROBLEM = "#/components/schemas/BackgroundTasksProblem";

	@LocalServerPort
	int port;

	JsonNode doc;

	@BeforeEach
	void read() {
		String body = RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/v3/api-docs")
			.retrieve()
			.body(String.class);
		this.doc = JsonMapper.builder().build().readTree(body);
	}

	@Test
	void documentsEveryOperationOfTheApiUnderOneTag() {
		assertThat(operations(BASE)).containsSubsequence("GET /tasks", "GET /tasks/{name}", "POST /tasks/{name}/$execute",
				"POST /tasks/{name}/$enable", "POST /tasks/{name}/$disable", "GET /executions",
				"GET /executions/{id}", "GET /executions/{id}/attempts", "POST /executions/{id}/$cancel",
				"POST /executions/{id}/$retry", "GET /executions/stream", "POST /batches", "GET /batches/{id}");
		assertThat(operation("GET", "/tasks").path("tags").get(0).asString()).isEqualTo("Background tasks");
		assertThat(operation("GET", "/tasks").path("operationId").asString()).isEqualTo("listTasks");
		assertThat(this.doc.path("tags").findValuesAsString("name")).startsWith("Background tasks",
				"Background tasks: run a task");
	}

	@Test
	void documentsWhatEachOperationAnswers() {
		assertThat(statuses("POST", "/tasks/{name}/$execute")).containsExactly("200", "202", "400", "403", "404",
				"409", "413", "415", "429");
		assertThat(statuses("POST", "/tasks/{name}/$enable")).containsExactly("200", "404", "409");
		assertThat(statuses("GET", "/executions/{id}")).containsExactly("200", "400", "404", "503");
		assertThat(statuses("POST", "/executions/{id}/$cancel")).containsExactly("202", "400", "404", "409");
		assertThat(statuses("POST", "/executions/{id}/$retry")).containsExactly("202", "400", "403", "404", "409",
				"429");
		assertThat(statuses("GET", "/executions/stream")).containsExactly("200", "400", "404", "503");
		assertThat(statuses("POST", "/batches")).containsExactly("202", "400", "403", "413", "415", "429");
		assertThat(statuses("GET", "/batches/{id}")).containsExactly("200", "400", "404");
		JsonNode batch = operation("POST", "/batches");
		assertThat(batch.path("operationId").asString()).isEqualTo("submitBatch");
		assertThat(ref(batch.path("requestBody").path("content").path("application/json")))
			.isEqualTo("#/components/schemas/BackgroundTasksBatchRequest");
		assertThat(ref(batch.path("responses").path("202").path("content").path("application/json")))
			.isEqualTo("#/components/schemas/BatchResponse");
		assertThat(batch.path("responses").path("202").path("headers").has("Location")).isTrue();
		assertThat(this.doc.path("components").path("schemas").path("BackgroundTasksBatchRequest").path("required")
			.get(0).asString()).isEqualTo("executions");
		assertThat(this.doc.path("components").path("schemas").path("BatchResponse").path("properties").propertyNames())
			.containsExactly("id", "size", "counts", "done");
		assertThat(operation("GET", "/executions").path("parameters").findValuesAsString("name")).contains("batchId");
		JsonNode execute = operation("POST", "/tasks/{name}/$execute").path("responses");
		assertThat(ref(execute.path("202").path("content").path("application/json")))
			.isEqualTo("#/components/schemas/Execution");
		assertThat(execute.path("202").path("headers").has("Location")).isTrue();
		assertThat(execute.path("429").path("headers").has("Retry-After")).isTrue();
		assertThat(ref(execute.path("404").path("content").path("application/problem+json"))).isEqualTo(PROBLEM);
		assertThat(execute.path("413").path("description").asString()).contains("64 KB");
		JsonNode tasks = operation("GET", "/tasks").path("responses").path("200").path("content").path("application/json");
		assertThat(tasks.path("schema").path("items").path("$ref").asString()).isEqualTo("#/components/schemas/TaskInfo");
		assertThat(ref(operation("GET", "/executions").path("responses").path("200").path("content")
			.path("application/json"))).isEqualTo("#/components/schemas/ExecutionPage");
		JsonNode stream = operation("GET", "/executions/stream").path("responses").path("200").path("content");
		assertThat(stream.propertyNames()).containsExactly("text/event-stream");
		assertThat(schema("SseEmitter").isMissingNode()).isTrue();
	}

	@Test
	void documentsTheSchemasOfTheApi() {
		assertThat(schema("Execution").path("properties").propertyNames()).contains("id", "task", "status", "params",
				"result", "error", "progress", "runAt", "submittedBy", "after");
		assertThat(schema("TaskInfo").path("properties").propertyNames()).contains("name", "parameters", "remote");
		assertThat(schema("TaskInfo").path("properties").path("timeout").path("format").asString())
			.isEqualTo("duration");
		assertThat(schema("ExecutionPage").path("properties").propertyNames()).contains("content", "totalElements",
				"totalCapped", "next");
		assertThat(schema("ExecutionPage").path("properties").path("next").path("format").asString()).isEqualTo("uuid");
		JsonNode before = StreamSupport.stream(operation("GET", "/executions").path("parameters").spliterator(), false)
			.filter((parameter) -> parameter.path("name").asString().equals("before"))
			.findFirst()
			.orElseThrow();
		assertThat(before.path("schema").path("format").asString()).isEqualTo("uuid");
		assertThat(before.path("description").asString()).contains("cursor");
		assertThat(schema("BackgroundTasksProblem").path("properties").propertyNames()).contains("title", "status",
				"detail", "instance", "task", "errors", "requiredAuthorities");
		JsonNode request = schema("BackgroundTasksExecuteRequest");
		assertThat(request.path("properties").propertyNames()).containsExactly("params", "runAt", "delay",
				"priority", "key", "after");
		assertThat(request.path("additionalProperties").asBoolean(true)).isFalse();
		assertThat(request.path("properties").path("runAt").path("format").asString()).isEqualTo("date-time");
		assertThat(ref(operation("POST", "/tasks/{name}/$execute").path("requestBody").path("content")
			.path("application/json"))).isEqualTo("#/components/schemas/BackgroundTasksExecuteRequest");
	}

	@Test
	void documentsDurationsAsTheApiWritesThem() {
		assertThat(schema("RetryInfo").path("properties").path("minDelay").path("format").asString())
			.isEqualTo("duration");
		JsonNode task = JsonMapper.builder()
			.build()
			.readTree(RestClient.create("http://localhost:" + this.port)
				.get()
				.uri(BASE + "/tasks/send-newsletter")
				.retrieve()
				.body(String.class));
		assertThat(task.path("retry").path("minDelay").isString()).isTrue();
		assertThat(Duration.parse(task.path("retry").path("minDelay").asString())).isPositive();
	}

	@Test
	void documentsTheParametersOfTheApi() {
		JsonNode wait = parameter(operation("GET", "/executions/{id}"), "wait");
		assertThat(wait.path("required").asBoolean(true)).isFalse();
		assertThat(wait.path("schema").path("format").asString()).isEqualTo("duration");
		assertThat(parameter(operation("GET", "/executions/{id}"), "id").path("schema").path("format").asString())
			.isEqualTo("uuid");
		JsonNode executions = operation("GET", "/executions");
		assertThat(parameter(executions, "status").path("schema").path("enum").valueStream().map(JsonNode::asString))
			.containsExactly("WAITING", "READY", "RUNNING", "SUCCESSFUL", "FAILED", "CANCELLED");
		assertThat(parameter(executions, "size").path("schema").path("maximum").asInt()).isEqualTo(200);
		assertThat(parameter(executions, "from").path("schema").path("format").asString()).isEqualTo("date-time");
	}

	@Test
	void documentsOneOperationPerTaskSubmittableOverRest() {
		assertThat(operations(BASE)).contains("POST /tasks/send-newsletter/$execute", "POST /tasks/add/$execute",
				"POST /tasks/echo/$execute")
			.doesNotContain("POST /tasks/purge-bounces/$execute");
		JsonNode operation = operation("POST", "/tasks/send-newsletter/$execute");
		assertThat(operation.path("tags").get(0).asString()).isEqualTo("Background tasks: run a task");
		assertThat(operation.path("summary").asString()).isEqualTo("Sends the newsletter to an audience");
		assertThat(operation.path("operationId").asString()).isEqualTo("execute_send-newsletter");
		assertThat(operation.path("description").asString()).contains("sendNewsletter(String subject");
		assertThat(operation.path("requestBody").path("required").asBoolean()).isTrue();
		assertThat(operation.path("responses").propertyNames()).containsExactly("200", "202", "400", "409", "413",
				"415", "429");
	}

	@Test
	void generatesTheBodyOfATaskFromItsParameters() {
		JsonNode body = operation("POST", "/tasks/send-newsletter/$execute").path("requestBody").path("content")
			.path("application/json");
		JsonNode request = body.path("schema");
		assertThat(request.path("properties").propertyNames()).containsExactly("params", "runAt", "delay",
				"priority", "key", "after");
		assertThat(request.path("required").valueStream().map(JsonNode::asString)).containsExactly("params");
		JsonNode params = request.path("properties").path("params");
		assertThat(params.path("additionalProperties").asBoolean(true)).isFalse();
		assertThat(params.path("required").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("subject", "sender", "campaign", "segments");
		JsonNode properties = params.path("properties");
		assertThat(properties.propertyNames()).containsExactly("subject", "audience", "issue", "copies", "batch",
				"share", "track", "sender", "replyTo", "notBefore", "pause", "headers", "campaign", "token",
				"segments");
		assertThat(properties.path("subject").path("type").asString()).isEqualTo("string");
		assertThat(properties.path("subject").path("description").asString()).isEqualTo("The subject line");
		assertThat(properties.path("audience").path("enum").valueStream().map(JsonNode::asString))
			.containsExactly("SUBSCRIBERS", "STAFF", "EVERYONE");
		assertThat(properties.path("audience").path("default").asString()).isEqualTo("SUBSCRIBERS");
		assertThat(properties.path("issue").path("format").asString()).isEqualTo("date");
		assertThat(properties.path("issue").path("default").asString()).isEqualTo("2026-01-01");
		assertThat(properties.path("copies").path("type").asString()).isEqualTo("array");
		assertThat(properties.path("copies").path("items").path("type").asString()).isEqualTo("string");
		assertThat(properties.path("copies").path("default").get(0).asString()).isEqualTo("ops@example.com");
		assertThat(properties.path("batch").path("type").asString()).isEqualTo("integer");
		assertThat(properties.path("batch").path("default").isInt()).isTrue();
		assertThat(properties.path("batch").path("default").asInt()).isEqualTo(3);
		assertThat(properties.path("share").path("type").asString()).isEqualTo("number");
		assertThat(properties.path("share").path("default").asDouble()).isEqualTo(0.5);
		assertThat(properties.path("track").path("type").asString()).isEqualTo("boolean");
		assertThat(properties.path("track").path("default").isBoolean()).isTrue();
		assertThat(properties.path("sender").path("description").asString()).isEqualTo("Sender");
		assertThat(ref(properties.path("sender").path("allOf").get(0))).isEqualTo("#/components/schemas/Sender");
		assertThat(schema("Sender").path("properties").propertyNames()).containsExactly("name", "address");
		assertThat(properties.path("notBefore").path("format").asString()).isEqualTo("date-time");
		assertThat(properties.path("pause").path("format").asString()).isEqualTo("duration");
		assertThat(properties.path("pause").path("default").asString()).isEqualTo("PT1M");
		assertThat(properties.path("headers").path("type").asString()).isEqualTo("object");
		assertThat(properties.path("headers").path("additionalProperties").path("type").asString())
			.isEqualTo("string");
		assertThat(properties.path("campaign").path("format").asString()).isEqualTo("uuid");
		assertThat(properties.path("segments").path("items").path("format").asString()).isEqualTo("int64");
		JsonNode example = body.path("example").path("params");
		assertThat(example.path("batch").asInt()).isEqualTo(3);
		assertThat(example.path("campaign").asString()).hasSize(36);
		assertThat(example.has("replyTo")).isFalse();
	}

	@Test
	void neverShowsTheDefaultOfASensitiveParameter() {
		JsonNode token = operation("POST", "/tasks/send-newsletter/$execute").path("requestBody").path("content")
			.path("application/json").path("schema").path("properties").path("params").path("properties").path("token");
		assertThat(token.has("default")).isFalse();
		assertThat(token.path("format").asString()).isEqualTo("password");
		assertThat(token.path("writeOnly").asBoolean()).isTrue();
		assertThat(this.doc.toString()).doesNotContain("hunter2");
	}

	@Test
	void documentsAnyParamsForATaskRegisteredFromCode() {
		JsonNode params = operation("POST", "/tasks/echo/$execute").path("requestBody").path("content")
			.path("application/json").path("schema").path("properties").path("params");
		assertThat(params.path("type").asString()).isEqualTo("object");
		assertThat(params.path("additionalProperties").asBoolean()).isTrue();
		assertThat(operation("POST", "/tasks/echo/$execute").path("requestBody").path("required").asBoolean(true))
			.isFalse();
	}

	@Test
	void leavesTheDashboardOut() {
		assertThat(this.doc.path("paths").propertyNames()).noneMatch((path) -> path.startsWith("/background-tasks"));
	}

	private List<String> operations(String base) {
		List<String> operations = new ArrayList<>();
		for (String path : this.doc.path("paths").propertyNames()) {
			if (path.startsWith(base + "/")) {
				this.doc.path("paths")
					.path(path)
					.propertyNames()
					.forEach((method) -> operations.add(method.toUpperCase() + " " + path.substring(base.length())));
			}
		}
		return operations;
	}

	private JsonNode operation(String method, String path) {
		JsonNode operation = this.doc.path("paths").path(BASE + path).path(method.toLowerCase());
		assertThat(operation.isObject()).as(method + " " + path).isTrue();
		return operation;
	}

	private List<String> statuses(String method, String path) {
		return List.copyOf(operation(method, path).path("responses").propertyNames());
	}

	private JsonNode schema(String name) {
		return this.doc.path("components").path("schemas").path(name);
	}

	private static JsonNode parameter(JsonNode operation, String name) {
		return operation.path("parameters")
			.valueStream()
			.filter((parameter) -> name.equals(parameter.path("name").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No parameter " + name));
	}

	private static String ref(JsonNode node) {
		return node.path("schema").path("$ref").asString(node.path("$ref").asString());
	}

}
