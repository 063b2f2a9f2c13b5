package dev.backgroundtasks.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.backgroundtasks.event.ExecutionCustomEvent;
import dev.backgroundtasks.event.SequencedEvent;
import dev.backgroundtasks.it.SseClient.Event;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.web.ExecutionEventStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients of the event stream that stop reading hold up no one: more of them than the stream ever had
 * sender threads, each a socket with a small receive buffer that sends its request and never reads.
 * While many events are published, another client receives every one of them, and the silent ones are
 * dropped once their buffers are full.
 */
@SpringBootTest(classes = TestTasksApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:slow-stream-${random.uuid};DB_CLOSE_DELAY=-1")
class H2StreamSlowClientTests {

	private static final int SILENT_CLIENTS = 20;

	/** Twice what the stream keeps for one client, in frames of about a kilobyte. */
	private static final int EVENTS = 20_000;

	@LocalServerPort
	int port;

	@Autowired
	ExecutionEventStream stream;

	@Autowired
	JsonMapper mapper;

	@Test
	void clientsThatStopReadingAreDroppedWhileAnotherReceivesEveryEvent() throws Exception {
		List<Socket> silent = new ArrayList<>();
		try (SseClient reader = SseClient.open("http://localhost:" + this.port + "/api/v1/executions/stream?task=greet")) {
			assertThat(reader.status()).isEqualTo(200);
			for (int i = 0; i < SILENT_CLIENTS; i++) {
				silent.add(openAndNeverRead());
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.stream.subscriberCount() == SILENT_CLIENTS + 1);
			String padding = "x".repeat(1000);
			UUID execution = UUID.randomUUID();
			for (int from = 0; from < EVENTS; from += 100) {
				// Published no faster than the reading client takes them in, with room to spare: on a busy
				// machine a burst of all of them would leave even a reading client more than ExecutionEventStream.MAX_PENDING (10,000)
				// frames behind, and it would rightly be dropped. The silent clients fall behind anyway.
				int sent = from;
				await().atMost(Duration.ofSeconds(60))
					.until(() -> reader.eventCount() >= sent - 5_000);
				this.stream.send(IntStream.range(from, from + 100)
					.mapToObj((i) -> new SequencedEvent("load-" + i, new ExecutionCustomEvent(execution, "greet", 1,
							"load", this.mapper.createObjectNode().put("i", i).put("padding", padding))))
					.toList());
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> reader.eventCount() >= EVENTS);
			assertThat(reader.events()).extracting(Event::id)
				.containsExactlyElementsOf(IntStream.range(0, EVENTS).mapToObj((i) -> "load-" + i).toList());
			await().atMost(Duration.ofSeconds(30)).until(() -> this.stream.subscriberCount() == 1);
		}
		finally {
			for (Socket socket : silent) {
				socket.close();
			}
		}
	}

	private Socket openAndNeverRead() throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(1024);
		socket.connect(new InetSocketAddress("localhost", this.port), 10_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /api/v1/executions/stream HTTP/1.1\r\nHost: localhost:" + this.port
				+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

}
