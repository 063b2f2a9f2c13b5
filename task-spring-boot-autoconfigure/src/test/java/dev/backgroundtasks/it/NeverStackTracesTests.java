package dev.backgroundtasks.it;

import java.util.UUID;

import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code background-tasks.web.stack-traces=never}: nobody sees a stack trace, of an execution or of one of
 * its attempts, everyone the error's type and message. On H2: the policy is in the web layer, whatever the
 * database.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "background-tasks.web.stack-traces=never", "background-tasks.retry.min-delay=100ms",
				"background-tasks.retry.max-delay=200ms",
				"spring.datasource.url=jdbc:h2:mem:traces-${random.uuid};DB_CLOSE_DELAY=-1" })
class NeverStackTracesTests {

	@LocalServerPort
	int port;

	@Test
	void failuresShowTypeAndMessageButNoStackTrace() {
		RestClient http = RestClient.create("http://localhost:" + this.port + "/api/v1");
		JsonNode accepted = http.post()
			.uri("/tasks/explode/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"params\":{\"reason\":\"boom\"}}")
			.retrieve()
			.body(JsonNode.class);
		JsonNode failed = http.get()
			.uri("/executions/{id}?wait=PT10S", accepted.get("id").asString())
			.retrieve()
			.body(JsonNode.class);
		assertThat(failed.get("status").asString()).isEqualTo("FAILED");
		assertThat(failed.get("error").get("type").asString()).isNotBlank();
		assertThat(failed.get("error").get("message").asString()).contains("boom");
		assertThat(failed.get("error").get("stackTrace").asString()).isEmpty();
		JsonNode listed = http.get().uri("/executions?task=explode").retrieve().body(JsonNode.class);
		assertThat(listed.get("content").get(0).get("error").get("stackTrace").asString()).isEmpty();
		JsonNode attempts = http.get()
			.uri("/executions/{id}/attempts", accepted.get("id").asString())
			.retrieve()
			.body(JsonNode.class);
		assertThat(attempts.get(0).get("error").get("message").asString()).contains("boom");
		assertThat(attempts.get(0).get("error").get("stackTrace").asString()).isEmpty();
	}

	@Test
	void pastAttemptsShowTypeAndMessageButNoStackTrace() {
		RestClient http = RestClient.create("http://localhost:" + this.port + "/api/v1");
		JsonNode accepted = http.post()
			.uri("/tasks/flaky/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"params\":{\"key\":\"traces-" + UUID.randomUUID() + "\",\"failures\":1}}")
			.retrieve()
			.body(JsonNode.class);
		String id = accepted.get("id").asString();
		JsonNode done = http.get().uri("/executions/{id}?wait=PT10S", id).retrieve().body(JsonNode.class);
		assertThat(done.get("status").asString()).isEqualTo("SUCCESSFUL");
		JsonNode attempts = http.get().uri("/executions/{id}/attempts", id).retrieve().body(JsonNode.class);
		assertThat(attempts).hasSize(2);
		JsonNode error = attempts.get(0).get("error");
		assertThat(error.get("type").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.get("message").asString()).startsWith("Failure 1 of");
		assertThat(error.get("stackTrace").asString()).isEmpty();
	}

}
