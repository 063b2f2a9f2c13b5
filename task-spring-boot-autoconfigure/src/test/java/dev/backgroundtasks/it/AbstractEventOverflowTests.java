package dev.backgroundtasks.it;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.event.TaskExecutionListener;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.TestTasksApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener that holds the event thread while executions run: the engine goes on, the event queue
 * stays within its capacity, the events that find no room are dropped and counted, and a client of the
 * event stream (on PostgreSQL: through the cluster relay) is told how many with a {@code dropped} event.
 * Run against H2 and PostgreSQL by the subclasses.
 */
@SpringBootTest(classes = { TestTasksApplication.class, AbstractEventOverflowTests.HeldListener.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "background-tasks.events.queue-capacity=20")
abstract class AbstractEventOverflowTests {

	@LocalServerPort
	int port;

	@Autowired
	TaskClient tasks;

	@Autowired
	ExecutionEventPublisher publisher;

	@Autowired
	HeldListener listener;

	@AfterEach
	void release() {
		this.listener.release();
	}

	@Test
	void aFullEventQueueDropsEventsWhileExecutionsGoOnAndTellsStreamClients() throws Exception {
		try (SseClient client = SseClient.open("http://localhost:" + this.port + "/api/v1/executions/stream")) {
			// On PostgreSQL nodes send events once they heard of the client: until then there is nothing to see.
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				this.tasks.submit("greet");
				return client.events().stream().anyMatch((event) -> event.name().equals("status"));
			});
			this.listener.hold();
			this.tasks.submit("greet");
			await().atMost(Duration.ofSeconds(30)).until(this.listener::isHolding);
			List<TaskHandle> handles = this.tasks.submitAll("greet", Collections.nCopies(100, Map.of()));
			for (TaskHandle handle : handles) {
				handle.await(Duration.ofSeconds(60));
				assertThat(handle.execution().status()).isEqualTo(TaskStatus.SUCCESSFUL);
			}
			assertThat(this.listener.isHolding()).isTrue();
			assertThat(this.publisher.queuedCount()).isLessThanOrEqualTo(20);
			// 300 events (READY, RUNNING, SUCCESSFUL of each) and 20 places.
			assertThat(this.publisher.droppedCount()).isGreaterThanOrEqualTo(280);
			this.listener.release();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.publisher.queuedCount() == 0 && droppedNotices(client) == this.publisher.droppedCount());
			assertThat(client.events()).filteredOn((event) -> event.name().equals("dropped"))
				.allSatisfy((event) -> assertThat(event.data().get("reason").asString())
					.contains("background-tasks.events.queue-capacity"));
		}
	}

	private static long droppedNotices(SseClient client) {
		return client.events()
			.stream()
			.filter((event) -> event.name().equals("dropped"))
			.map(Event::data)
			.mapToLong((data) -> data.get("count").asLong())
			.sum();
	}

	/**
	 * Holds the event thread in {@code onStart} between {@link #hold()} and {@link #release()}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class HeldListener implements TaskExecutionListener {

		private volatile CountDownLatch gate = new CountDownLatch(0);

		private volatile boolean holding;

		void hold() {
			this.gate = new CountDownLatch(1);
		}

		void release() {
			this.gate.countDown();
		}

		boolean isHolding() {
			return this.holding;
		}

		@Override
		public void onStart(Execution execution) {
			CountDownLatch current = this.gate;
			if (current.getCount() == 0) {
				return;
			}
			this.holding = true;
			try {
				current.await(120, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.holding = false;
			}
		}

	}

}
