package dev.backgroundtasks.compatibility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.test.BackgroundTasksTest;
import dev.backgroundtasks.test.BackgroundTasksTester;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.backgroundtasks.test.BackgroundTasksAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's optional integrations on this Spring Boot line: the OpenAPI document with springdoc's
 * line for it, and the test kit's clock and assertions.
 */
@SpringBootTest(classes = CompatibilityApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:ecosystem-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.tasks.tick.enabled=false" })
@BackgroundTasksTest(clock = "2027-03-27T12:00:00Z")
class H2EcosystemCompatibilityTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TaskClient tasks;

	@Autowired
	private BackgroundTasksTester tester;

	@Test
	void openApiDocumentHasAnOperationPerTaskWithItsParameters() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v3/api-docs")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode paths = JsonMapper.builder().build().readTree(response.body()).get("paths");
		assertThat(paths.has("/api/v1/tasks/{name}/$execute")).isTrue();
		JsonNode params = paths.get("/api/v1/tasks/add/$execute")
			.get("post")
			.get("requestBody")
			.get("content")
			.get("application/json")
			.get("schema")
			.get("properties")
			.get("params");
		assertThat(params.get("properties").get("a").get("type").asString()).isEqualTo("integer");
		assertThat(params.get("required").values()).extracting(JsonNode::asString).containsExactly("a", "b");
	}

	@Test
	void testClockMakesADelayedExecutionDueWithoutWaiting() {
		var handle = this.tasks.task("add").param("a", 20).param("b", 22).delay(Duration.ofHours(1)).submit();
		this.tester.awaitIdle();
		assertThat(handle.status()).isEqualTo(TaskStatus.READY);
		this.tester.advance(Duration.ofHours(1));
		assertThat(this.tester).succeeded("add").withParams(Map.of("a", 20, "b", 22)).once();
		assertThat(this.tester.now()).isAfterOrEqualTo(Instant.parse("2027-03-27T13:00:00Z"));
	}

}
