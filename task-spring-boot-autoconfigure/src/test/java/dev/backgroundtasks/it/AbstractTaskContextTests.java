package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.event.ExecutionCustomEvent;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.CountingProgressStore;
import dev.backgroundtasks.it.app.RecordingListener;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inside a running task: progress, custom events, cooperative cancellation, listener callbacks and
 * the live event stream, over real HTTP; run against H2 and PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AbstractTaskContextTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	RecordingListener listener;

	@Autowired
	CountingProgressStore progressWrites;

	RestClient http;

	@BeforeEach
	void client() {
		this.http = RestClient.builder()
			.baseUrl(api())
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	String api() {
		return "http://localhost:" + this.port + "/api/v1";
	}

	@Test
	void streamsStatusesRisingProgressAndTheCustomEventOfOneRunInOrder() throws Exception {
		UUID id;
		try (SseClient stream = SseClient.open(api() + "/executions/stream?task=staged")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.contentType()).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
			id = execute("staged", "{}");
			UUID ours0 = id;
			List<Event> events = stream.awaitEvent((event) -> isStatus(event, ours0, "SUCCESSFUL"));
			List<Event> ours = events.stream()
				.filter((event) -> event.data().get("executionId").asString().equals(ours0.toString()))
				.toList();
			List<String> kinds = ours.stream()
				.map((event) -> event.name().equals("status") ? event.data().get("status").asString() : event.name())
				.toList();
			assertThat(kinds.get(0)).as("%s", ours).isEqualTo("READY");
			assertThat(kinds.get(1)).as("%s", ours).isEqualTo("RUNNING");
			assertThat(kinds.get(kinds.size() - 1)).isEqualTo("SUCCESSFUL");
			assertThat(kinds.subList(2, kinds.size() - 1)).containsOnly("progress", "custom");
			int custom = kinds.indexOf("custom");
			assertThat(kinds.subList(2, custom)).as("progress before the custom event").hasSizeGreaterThanOrEqualTo(3);
			assertThat(kinds.subList(custom + 1, kinds.size() - 1)).as("progress after it").isNotEmpty();
			List<Double> fractions = ours.stream()
				.filter((event) -> event.name().equals("progress"))
				.map((event) -> event.data().get("progress").get("fraction").asDouble())
				.toList();
			assertThat(fractions).isSorted();
			assertThat(fractions.stream().distinct().count()).isGreaterThanOrEqualTo(5);
			assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
			JsonNode halfway = ours.get(custom).data();
			assertThat(halfway.get("name").asString()).isEqualTo("halfway");
			assertThat(halfway.get("data").get("rows").asInt()).isEqualTo(4);
			assertThat(halfway.get("data").get("execution").asString()).isEqualTo(ours0.toString());
			assertThat(ours).extracting(Event::id).doesNotHaveDuplicates().allSatisfy((eventId) -> assertThat(eventId).isNotBlank());
		}
		Execution execution = this.tasks.handle(id).execution();
		assertThat(execution.progress()).isEqualTo(new ExecutionProgress(100, 100L, 1.0, "Writing"));
	}

	@Test
	void resumesAfterTheLastEventIdAndAsksToResyncWhenItIsUnknown() throws Exception {
		String lastId;
		UUID first;
		try (SseClient stream = SseClient.open(api() + "/executions/stream?task=staged")) {
			first = execute("staged", "{}");
			lastId = stream.awaitEvent((event) -> isStatus(event, first, "RUNNING"))
				.stream()
				.filter((event) -> isStatus(event, first, "RUNNING"))
				.findFirst()
				.orElseThrow()
				.id();
		}
		this.tasks.handle(first).await(Duration.ofSeconds(30));
		try (SseClient resumed = SseClient.open(api() + "/executions/stream?task=staged", lastId)) {
			List<Event> replayed = resumed.awaitEvent((event) -> isStatus(event, first, "SUCCESSFUL"));
			assertThat(replayed).extracting(Event::id).doesNotContain(lastId);
			assertThat(replayed).filteredOn((event) -> isStatus(event, first, "READY") || isStatus(event, first, "RUNNING"))
				.isEmpty();
			assertThat(replayed).filteredOn((event) -> event.name().equals("custom")).isNotEmpty();
		}
		try (SseClient unknown = SseClient.open(api() + "/executions/stream", "nobody-42")) {
			assertThat(unknown.awaitEvent((event) -> event.name().equals("resync"))).isNotEmpty();
		}
	}

	@Test
	void cancelOverRestStopsACooperativeTaskThatEndsCancelledWithItsProgress() {
		UUID id = execute("cooperative", "{}");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			ExecutionProgress progress = this.tasks.handle(id).execution().progress();
			return progress != null && progress.current() > 0;
		});
		assertThat(this.http.post().uri("/executions/{id}/$cancel", id).retrieve().toBodilessEntity().getStatusCode()
			.value()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.tasks.handle(id).status() == TaskStatus.CANCELLED);
		Execution cancelled = this.tasks.handle(id).execution();
		assertThat(cancelled.progress()).isNotNull();
		assertThat(cancelled.progress().current()).isPositive();
		assertThat(cancelled.progress().message()).startsWith("step ");
		assertThat(cancelled.result()).isNull();
	}

	@Test
	void listenerCallbacksFireOncePerOutcomeAfterCommit() {
		UUID success = this.tasks.submit("greet", Map.of("name", "listener")).id();
		UUID failure = this.tasks.submit("failsTwice", Map.of()).id();
		UUID cancel = this.tasks.submit("cooperative", Map.of()).id();
		UUID failingListener = this.tasks.submit("add", Map.of("a", 1, "b", 2)).id();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.tasks.handle(cancel).status() == TaskStatus.RUNNING);
		this.tasks.handle(cancel).cancel();
		await().atMost(Duration.ofSeconds(30)).until(() -> List.of(success, failure, cancel, failingListener)
			.stream()
			.allMatch((id) -> this.listener.callbacksOf(id).stream().anyMatch((c) -> c.startsWith("onComplete"))));
		// Events are delivered in order: once a later execution's callbacks came, the earlier ones are all in.
		UUID marker = this.tasks.submit("greet", Map.of("name", "marker")).id();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.listener.callbacksOf(marker).contains("onComplete:SUCCESSFUL"));
		assertThat(this.listener.callbacksOf(success)).containsExactly("onStart", "onSuccess:SUCCESSFUL",
				"onComplete:SUCCESSFUL");
		assertThat(this.listener.callbacksOf(failure)).containsExactly("onStart", "onStart",
				"onFailure:FAILED", "onComplete:FAILED");
		assertThat(this.tasks.handle(failure).execution().attempt()).isEqualTo(2);
		assertThat(this.listener.callbacksOf(cancel)).containsExactly("onStart", "onComplete:CANCELLED");
		// onStart threw for 'add': logged, and the execution is not affected.
		assertThat(this.tasks.handle(failingListener).status()).isEqualTo(TaskStatus.SUCCESSFUL);
		assertThat(this.listener.callbacksOf(failingListener)).containsExactly("onStart",
				"onSuccess:SUCCESSFUL", "onComplete:SUCCESSFUL");
		assertThat(this.listener.events).filteredOn(ExecutionStatusEvent.class::isInstance)
			.map(ExecutionStatusEvent.class::cast)
			.filteredOn((event) -> event.executionId().equals(failure))
			.extracting(ExecutionStatusEvent::status)
			.containsExactly(TaskStatus.READY, TaskStatus.RUNNING, TaskStatus.READY, TaskStatus.RUNNING,
					TaskStatus.FAILED);
	}

	@Test
	void aHundredThousandReportsCauseAFewProgressWrites() {
		TaskHandle handle = this.tasks.submit("manyReports", Map.of("count", 100_000));
		assertThat(handle.await(Duration.ofSeconds(30), Long.class)).isEqualTo(100_000L);
		Execution execution = handle.execution();
		assertThat(execution.progress()).isEqualTo(new ExecutionProgress(100_000, 100_000L, 1.0, null));
		long runMillis = Duration.between(execution.startedAt(), execution.finishedAt()).toMillis();
		// One write per 250 ms interval at most while it ran, plus the final one.
		assertThat(this.progressWrites.writesOf(handle.id())).isBetween(1, (int) (runMillis / 250) + 2)
			.isLessThan(100);
	}

	@Test
	void theContextIsNoParameterAndCannotBeSubmitted() {
		JsonNode staged = this.http.get().uri("/tasks/staged").retrieve().body(JsonNode.class);
		assertThat(staged.get("parameters")).isEmpty();
		JsonNode manyReports = this.http.get().uri("/tasks/manyReports").retrieve().body(JsonNode.class);
		assertThat(manyReports.get("parameters")).hasSize(1);
		assertThat(manyReports.get("signature").asString()).isEqualTo("manyReports(long count) -> long");
		ResponseEntity<JsonNode> refused = this.http.post()
			.uri("/tasks/staged/$execute")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"params\":{\"context\":{}}}")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(refused.getBody().get("errors").get(0).get("parameter").asString()).isEqualTo("context");
	}

	@Test
	void customEventsArePublishedAsApplicationEvents() {
		UUID id = this.tasks.submit("staged", Map.of()).id();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.listener.events.stream()
				.anyMatch((event) -> event instanceof ExecutionCustomEvent custom && custom.executionId().equals(id)));
		ExecutionCustomEvent event = this.listener.events.stream()
			.filter(ExecutionCustomEvent.class::isInstance)
			.map(ExecutionCustomEvent.class::cast)
			.filter((custom) -> custom.executionId().equals(id))
			.findFirst()
			.orElseThrow();
		assertThat(event.name()).isEqualTo("halfway");
		assertThat(event.task()).isEqualTo("staged");
		assertThat(event.attempt()).isEqualTo(1);
	}

	UUID execute(String task, String params) {
		ResponseEntity<JsonNode> response = this.http.post()
			.uri("/tasks/{task}/$execute", task)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"params\":" + params + "}")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(response.getStatusCode().value()).isEqualTo(202);
		return UUID.fromString(response.getBody().get("id").asString());
	}

	static boolean isStatus(Event event, UUID id, String status) {
		return event.name().equals("status") && event.data().get("executionId").asString().equals(id.toString())
				&& event.data().get("status").asString().equals(status);
	}

}
