package dev.backgroundtasks.compatibility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.compatibility.CompatibilityApplication.RecordingListener;
import dev.backgroundtasks.compatibility.CompatibilityApplication.Tasks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end scenarios a user's application goes through, run against the Spring Boot BOM of the
 * module that runs them: every version of Spring, Jackson, Hibernate, Flyway and Micrometer is the one
 * that Spring Boot line manages, as in a user's application, and the starter is the jar it gets.
 */
@SpringBootTest(classes = CompatibilityApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractCompatibilityTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	@Value("${expected.spring-boot.line}")
	private String expectedBootLine;

	@Autowired
	private JsonMapper mapper;

	@Autowired
	private TaskClient taskClient;

	@Autowired
	private Tasks tasks;

	@Autowired
	private RecordingListener listener;

	@BeforeEach
	void runsOnTheBootLineOfThisModule() {
		assertThat(SpringBootVersion.getVersion()).startsWith(this.expectedBootLine);
	}

	@Test
	void executesOverHttpBindingGenericParamsAndDefaults() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks/order-total/$execute", """
				{"params": {
				  "lines": [{"sku": "a", "quantity": 2, "price": 1.50}, {"sku": "b", "quantity": 1, "price": 10}],
				  "discountPercents": {"b": 20},
				  "coupon": "WELCOME"
				}}""");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String id = json(response).get("id").asString();

		JsonNode execution = awaitFinished(id);
		assertThat(execution.get("status").asString()).as(execution.toString()).isEqualTo("SUCCESSFUL");
		JsonNode result = execution.get("result");
		assertThat(result.get("total").decimalValue()).isEqualByComparingTo("11");
		assertThat(result.get("currency").asString()).isEqualTo("EUR");
		assertThat(result.get("coupon").asString()).isEqualTo("WELCOME");
		assertThat(result.get("lines").asInt()).isEqualTo(2);

		await().atMost(WAIT)
			.until(() -> this.listener.successes.stream().anyMatch((success) -> success.id().toString().equals(id)));
	}

	@Test
	void badParamsAnswerAProblemNamingThem() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks/order-total/$execute",
				"{\"params\": {\"lines\": \"many\", \"discountPercents\": {\"a\": \"ten\"}, \"colour\": 1}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("lines", "discountPercents", "colour");
	}

	@Test
	void aFailingTaskIsRetriedThenFailsWithItsError() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks/always-fails/$execute",
				"{\"params\": {\"why\": \"compatibility\"}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String id = json(response).get("id").asString();

		JsonNode execution = awaitFinished(id);
		assertThat(execution.get("status").asString()).isEqualTo("FAILED");
		assertThat(execution.get("attempt").asInt()).isEqualTo(2);
		assertThat(execution.get("error").get("type").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(execution.get("error").get("message").asString()).isEqualTo("Failed on purpose: compatibility");
		await().atMost(WAIT)
			.until(() -> this.listener.failures.stream().anyMatch((failure) -> failure.id().toString().equals(id)));
	}

	@Test
	void taskClientSubmitsAndAwaits() {
		Integer sum = this.taskClient.submit("add", Map.of("a", 2, "b", 3)).await(WAIT, Integer.class);
		assertThat(sum).isEqualTo(5);
	}

	@Test
	void anIntervalScheduleFires() throws Exception {
		String successfulTicks = "/api/v1/executions?task=tick&trigger=SCHEDULE&status=SUCCESSFUL";
		await().atMost(WAIT).until(() -> get(successfulTicks).body().contains("\"trigger\":\"SCHEDULE\""));
		assertThat(this.tasks.ticks.get()).isPositive();
	}

	@Test
	void theEventStreamCarriesStatusProgressAndCustomEvents() throws Exception {
		try (EventStreamClient stream = EventStreamClient.open(url("/api/v1/executions/stream?task=staged"))) {
			assertThat(stream.status()).isEqualTo(200);
			String id = this.taskClient.submit("staged", Map.of()).id().toString();
			await().atMost(WAIT).until(() -> stream.lines()
				.stream()
				.anyMatch((line) -> line.startsWith("data:") && line.contains(id) && line.contains("SUCCESSFUL")));
			assertThat(stream.lines()).contains("event:progress", "event:custom");
			assertThat(stream.lines()).anyMatch((line) -> line.contains(id) && line.contains("\"checked\"")
					&& line.contains("\"rows\":[1,2,3]"));
		}
	}

	@Test
	void actuatorEndpointAndHealthAnswer() throws Exception {
		HttpResponse<String> endpoint = get("/actuator/backgroundtasks");
		assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(200);
		assertThat(json(endpoint).isObject()).isTrue();

		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		assertThat(json(health).get("components").get("backgroundTasks").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void theDashboardAnswers() throws Exception {
		HttpResponse<String> overview = get("/background-tasks");
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat(overview.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		HttpResponse<String> tasks = get("/background-tasks/tasks");
		assertThat(tasks.statusCode()).isEqualTo(200);
		assertThat(tasks.body()).contains("order-total", "always-fails");
	}

	private JsonNode awaitFinished(String id) {
		return await().atMost(WAIT).until(() -> json(get("/api/v1/executions/" + id)),
				(execution) -> TaskStatus.valueOf(execution.get("status").asString()).isTerminal());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private JsonNode json(HttpResponse<String> response) {
		return this.mapper.readTree(response.body());
	}

}
