package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event stream's narrower modes, which the dashboard uses: the events of one execution, and a
 * summary of what changed at most once a second instead of each event.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:stream-modes-${random.uuid};DB_CLOSE_DELAY=-1")
class H2StreamModesTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionQueries queries;

	private String stream() {
		return "http://localhost:" + this.port + "/api/v1/executions/stream";
	}

	@Test
	void aSummaryClientHearsWhatChangedInFewEvents() throws Exception {
		try (SseClient stream = SseClient.open(stream() + "?summary=true")) {
			assertThat(stream.status()).isEqualTo(200);
			List<UUID> ids = IntStream.range(0, 200)
				.mapToObj((i) -> this.tasks.submit("count", Map.of("key", 90_000 + i)).id())
				.toList();
			await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
				.allMatch((id) -> this.queries.find(id).map(Execution::status).orElseThrow() == TaskStatus.SUCCESSFUL));
			// Every execution went READY, RUNNING, SUCCESSFUL: 600 events, told in a few summaries.
			List<Event> summaries = stream.awaitEvent((event) -> summed(stream.events()) >= 600);
			assertThat(summaries).allSatisfy((event) -> assertThat(event.name()).isEqualTo("changes"));
			assertThat(summaries.size()).isLessThan(100);
			Event first = summaries.get(0);
			assertThat(first.id()).isNotBlank();
			assertThat(first.data().get("tasks").values()).extracting(JsonNode::asString).containsExactly("count");
			Set<String> listed = summaries.stream()
				.flatMap((event) -> event.data().get("executions").values().stream())
				.map(JsonNode::asString)
				.collect(Collectors.toSet());
			assertThat(listed).isNotEmpty().allSatisfy((id) -> assertThat(ids).contains(UUID.fromString(id)));
		}
	}

	@Test
	void anExecutionClientHearsOnlyThatExecution() throws Exception {
		UUID later = this.tasks.task("greet").param("name", "later").delay(Duration.ofSeconds(1)).submit().id();
		try (SseClient stream = SseClient.open(stream() + "?execution=" + later)) {
			UUID other = this.tasks.submit("greet", Map.of("name", "other")).id();
			List<Event> events = stream.awaitEvent((event) -> later.toString().equals(text(event, "executionId"))
					&& "SUCCESSFUL".equals(text(event, "status")));
			await().until(() -> this.queries.find(other).map(Execution::status).orElseThrow() == TaskStatus.SUCCESSFUL);
			assertThat(events).isNotEmpty()
				.allSatisfy((event) -> assertThat(text(event, "executionId")).isEqualTo(later.toString()));
		}
	}

	@Test
	void aMalformedExecutionIdIsABadRequest() throws Exception {
		try (SseClient stream = SseClient.open(stream() + "?execution=nope")) {
			assertThat(stream.status()).isEqualTo(400);
		}
	}

	private static long summed(List<Event> events) {
		return events.stream().mapToLong((event) -> event.data().get("events").asLong()).sum();
	}

	private static String text(Event event, String field) {
		JsonNode value = event.data().get(field);
		return (value != null) ? value.asString() : null;
	}

}
