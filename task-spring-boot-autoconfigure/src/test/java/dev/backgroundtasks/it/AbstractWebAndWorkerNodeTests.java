package dev.backgroundtasks.it;

import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.worker.TaskWorker;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web-only node and a worker node share one database: what is submitted on the web-only node runs on
 * the worker, and its progress and result show on the web-only node, through a long-poll and through
 * {@link TaskClient}. Run on PostgreSQL and on MariaDB by the subclasses; what the web-only node's event
 * stream shows of it differs by database (see {@link #assertStreamed}).
 */
abstract class AbstractWebAndWorkerNodeTests {

	@Test
	void progressResultAndStreamOfTheWorkerShowOnTheWebOnlyNode() throws Exception {
		String url = freshUrl();
		try (ConfigurableApplicationContext web = new SpringApplicationBuilder(TestTasksApplication.class)
			.web(WebApplicationType.SERVLET)
			// Shut down at once: the server would otherwise wait up to 30 s for the stream the test read, whose
			// client is gone but which the server notices only when a keep-alive fails.
			.properties("spring.datasource.url=" + url, "server.port=0", "server.shutdown=immediate",
					"background-tasks.node-name=web-only", "background-tasks.worker.enabled=false")
			.run();
				ConfigurableApplicationContext worker = new SpringApplicationBuilder(TestTasksApplication.class)
					.web(WebApplicationType.NONE)
					.properties("spring.datasource.url=" + url, "background-tasks.node-name=worker")
					.run()) {
			assertThat(web.getBeansOfType(TaskWorker.class)).isEmpty();
			String api = "http://localhost:" + web.getEnvironment().getProperty("local.server.port") + "/api/v1";
			RestClient http = RestClient.builder()
				.baseUrl(api)
				.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
				})
				.build();
			try (SseClient stream = SseClient.open(api + "/executions/stream")) {
				JsonNode submitted = http.post()
					.uri("/tasks/staged/$execute")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{}")
					.retrieve()
					.body(JsonNode.class);
				UUID id = UUID.fromString(submitted.get("id").asString());
				JsonNode finished = http.get()
					.uri("/executions/{id}?wait=PT30S", id)
					.retrieve()
					.body(JsonNode.class);
				assertThat(finished.get("status").asString()).isEqualTo("SUCCESSFUL");
				assertThat(finished.get("result").asString()).isEqualTo("done");
				assertThat(finished.get("node").asString()).isEqualTo("worker");
				assertThat(finished.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
				assertThat(finished.get("progress").get("current").asLong()).isEqualTo(100);
				Execution viaJava = web.getBean(TaskClient.class).handle(id).execution();
				assertThat(viaJava.status()).isEqualTo(TaskStatus.SUCCESSFUL);
				assertThat(viaJava.progress().total()).isEqualTo(100L);
				assertStreamed(stream, id);
			}
		}
	}

	/**
	 * @return the JDBC URL of a new, empty database (or schema) that both nodes share
	 */
	abstract String freshUrl();

	/**
	 * Checks what the web-only node's event stream showed of an execution it submitted and the worker
	 * ran, once the execution has finished. Here: the submission's own {@code READY}, which the web-only
	 * node publishes itself; events of other nodes reach the stream only where the database relays them.
	 * @param stream the web-only node's stream, opened before the submission
	 * @param id the execution
	 */
	void assertStreamed(SseClient stream, UUID id) {
		List<Event> ours = stream.awaitEvent((event) -> AbstractTaskContextTests.isStatus(event, id, "READY"))
			.stream()
			.filter((event) -> event.data().get("executionId").asString().equals(id.toString()))
			.toList();
		assertThat(ours.get(0).name()).isEqualTo("status");
		assertThat(ours.get(0).data().get("status").asString()).isEqualTo("READY");
	}

}
