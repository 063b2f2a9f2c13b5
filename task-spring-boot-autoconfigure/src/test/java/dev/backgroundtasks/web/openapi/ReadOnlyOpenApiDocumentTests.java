package dev.backgroundtasks.web.openapi;


import dev.backgroundtasks.web.openapi.app.OpenApiTasksApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code background-tasks.web.read-only=true} and another base path, the document holds the read
 * operations at that path, and neither an operation that changes anything nor one per task.
 */
@SpringBootTest(classes = OpenApiTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:h2:mem:openapi-read-only-${random.uuid};DB_CLOSE_DELAY=-1",
				"background-tasks.web.read-only=true", "background-tasks.web.base-path=/ops/jobs" })
class ReadOnlyOpenApiDocumentTests {

	@LocalServerPort
	int port;

	@Test
	void documentsOnlyTheReadOperationsAtTheConfiguredPath() {
		JsonNode doc = JsonMapper.builder()
			.build()
			.readTree(RestClient.create("http://localhost:" + this.port)
				.get()
				.uri("/v3/api-docs")
				.retrieve()
				.body(String.class));
		JsonNode paths = doc.path("paths");
		assertThat(paths.propertyNames()).containsExactlyInAnyOrder("/ops/jobs/tasks", "/ops/jobs/tasks/{name}",
				"/ops/jobs/executions", "/ops/jobs/executions/{id}", "/ops/jobs/executions/{id}/attempts",
				"/ops/jobs/executions/stream", "/ops/jobs/batches/{id}");
		for (String path : paths.propertyNames()) {
			assertThat(paths.path(path).propertyNames()).as(path).containsExactly("get");
			assertThat(paths.path(path).path("get").path("tags").get(0).asString()).isEqualTo("Background tasks");
		}
		assertThat(doc.path("tags").findValuesAsString("name")).containsExactly("Background tasks");
		assertThat(doc.path("components").path("schemas").has("BackgroundTasksProblem")).isTrue();
		assertThat(doc.path("components").path("schemas").has("BackgroundTasksExecuteRequest")).isFalse();
	}

}
