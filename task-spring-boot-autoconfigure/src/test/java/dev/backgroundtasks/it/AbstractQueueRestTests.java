package dev.backgroundtasks.it;

import java.time.Duration;

import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The queue options over REST, on a node that runs nothing (so executions stay READY): keys answer 200
 * with the active execution, a full queue answers 429 with Retry-After, cancel and retry.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "background-tasks.worker.enabled=false", "background-tasks.queue.capacity=3" })
abstract class AbstractQueueRestTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Test
	void keysCapacityCancelAndRetry() {
		RestClient http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/api/v1")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		ResponseEntity<JsonNode> first = post(http, "/tasks/greet/$execute", "{\"key\":\"k-1\",\"priority\":5}");
		assertThat(first.getStatusCode().value()).isEqualTo(202);
		assertThat(first.getBody().get("key").asString()).isEqualTo("k-1");
		assertThat(first.getBody().get("priority").asInt()).isEqualTo(5);
		ResponseEntity<JsonNode> again = post(http, "/tasks/greet/$execute", "{\"key\":\"k-1\"}");
		assertThat(again.getStatusCode().value()).as("the active execution holding the key").isEqualTo(200);
		assertThat(again.getBody().get("id")).isEqualTo(first.getBody().get("id"));
		assertThat(post(http, "/tasks/greet/$execute", "{\"delay\":\"PT1H\"}").getStatusCode().value()).isEqualTo(202);
		assertThat(post(http, "/tasks/greet/$execute", "{\"runAt\":\"2030-01-01T00:00:00Z\"}").getStatusCode().value())
			.isEqualTo(202);
		ResponseEntity<JsonNode> full = post(http, "/tasks/greet/$execute", null);
		AbstractEndToEndTests.assertProblem(full, 429, "The queue is full: 3 executions are READY");
		assertThat(full.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThatExceptionOfType(QueueFullException.class).isThrownBy(() -> this.tasks.submit("greet"));

		String id = first.getBody().get("id").asString();
		ResponseEntity<JsonNode> cancelled = post(http, "/executions/" + id + "/$cancel", null);
		assertThat(cancelled.getStatusCode().value()).isEqualTo(202);
		assertThat(cancelled.getBody().get("status").asString()).isEqualTo("CANCELLED");
		// The retry is a submission too: it is accepted once the queue count, read every 250 ms, has room.
		ResponseEntity<JsonNode> retried = await().atMost(Duration.ofSeconds(5))
			.until(() -> post(http, "/executions/" + id + "/$retry", null), (response) -> response.getStatusCode()
				.value() == 202);
		assertThat(retried.getBody().get("trigger").asString()).isEqualTo("RETRY");
		assertThat(retried.getBody().get("retryOf").asString()).isEqualTo(id);
		assertThat(retried.getHeaders().getLocation().toString())
			.endsWith("/executions/" + retried.getBody().get("id").asString());
		AbstractEndToEndTests.assertProblem(post(http, "/executions/" + retried.getBody().get("id").asString()
				+ "/$retry", null), 409, "only FAILED or CANCELLED executions can be retried");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> post(http, "/executions/" + retried.getBody().get("id").asString() + "/$cancel", null)
				.getStatusCode()
				.value() == 202);

		AbstractEndToEndTests.assertProblem(post(http, "/tasks/greet/$execute", "{\"runAt\":\"tomorrow\"}"), 400,
				"'runAt' must be an ISO-8601 instant");
		AbstractEndToEndTests.assertProblem(post(http, "/tasks/greet/$execute",
				"{\"runAt\":\"2030-01-01T00:00:00Z\",\"delay\":\"1h\"}"), 400, "either runAt or delay");
		AbstractEndToEndTests.assertProblem(post(http, "/tasks/greet/$execute", "{\"priority\":\"high\"}"), 400,
				"'priority' must be an integer");
		AbstractEndToEndTests.assertProblem(post(http, "/tasks/greet/$execute", "{\"key\":\"\"}"), 400,
				"key must be 1 to 200 characters");
	}

	private static ResponseEntity<JsonNode> post(RestClient http, String path, String body) {
		RestClient.RequestBodySpec request = http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.body(body);
		}
		return request.retrieve().toEntity(JsonNode.class);
	}

}
