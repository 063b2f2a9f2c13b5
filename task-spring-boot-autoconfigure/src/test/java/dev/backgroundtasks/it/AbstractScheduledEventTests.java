package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.RecordingListener;
import dev.backgroundtasks.it.app.TestTasksApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The execution of a schedule's fire time is stored like any other: its {@code READY} event reaches
 * the REST event stream, the application's event listeners and the {@code background.tasks.submitted}
 * counter (trigger {@code SCHEDULE}). Run on H2, PostgreSQL and MariaDB by the subclasses, with the
 * {@code every-second} task of the test application scheduled every second.
 */
// Shut down at once: the server would otherwise wait up to 30 s for the stream the test read, whose
// client is gone but which the server notices only when a keep-alive fails.
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "test.schedules.every-second=1s", "server.shutdown=immediate" })
@Import(AbstractScheduledEventTests.SimpleRegistry.class)
// Closed after the class: a cached context would keep firing its schedule.
@DirtiesContext
abstract class AbstractScheduledEventTests {

	private static final String TASK = "every-second";

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	RecordingListener listener;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theReadyEventOfAScheduledExecutionReachesTheStreamTheListenersAndTheSubmittedCounter() throws Exception {
		UUID id;
		try (SseClient stream = SseClient.open("http://localhost:" + this.port + "/api/v1/executions/stream?task="
				+ TASK)) {
			assertThat(stream.status()).isEqualTo(200);
			Event ready = stream.awaitEvent(AbstractScheduledEventTests::isReady)
				.stream()
				.filter(AbstractScheduledEventTests::isReady)
				.findFirst()
				.orElseThrow();
			assertThat(ready.data().get("task").asString()).isEqualTo(TASK);
			id = UUID.fromString(ready.data().get("executionId").asString());
		}
		assertThat(this.jdbc.queryForObject("SELECT trigger_type FROM bgt_execution WHERE id = ?", String.class, id))
			.isEqualTo("SCHEDULE");
		ExecutionStatusEvent heard = new ExecutionStatusEvent(id, TASK, TaskStatus.READY, 0, null);
		await().atMost(WAIT).until(() -> this.listener.events.contains(heard));
		// Every execution the schedule stored: each one's READY event and one count, none else.
		await().atMost(WAIT).untilAsserted(() -> {
			List<UUID> stored = this.jdbc.queryForList("SELECT id FROM bgt_execution WHERE task_name = ?", UUID.class,
					TASK);
			assertThat(readyEventsHeard()).containsAll(stored);
			assertThat(submittedBySchedule()).isEqualTo(stored.size());
		});
	}

	private Set<UUID> readyEventsHeard() {
		return this.listener.events.stream()
			.filter(ExecutionStatusEvent.class::isInstance)
			.map(ExecutionStatusEvent.class::cast)
			.filter((event) -> event.task().equals(TASK) && event.status() == TaskStatus.READY)
			.map(ExecutionStatusEvent::executionId)
			.collect(Collectors.toSet());
	}

	private long submittedBySchedule() {
		Counter counter = Search.in(this.meters)
			.name("background.tasks.submitted")
			.tags("task", TASK, "trigger", "SCHEDULE")
			.counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	private static boolean isReady(Event event) {
		return event.name().equals("status") && event.data().get("status").asString().equals("READY");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SimpleRegistry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
