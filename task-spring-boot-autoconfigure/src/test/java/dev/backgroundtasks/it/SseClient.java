package dev.backgroundtasks.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Reads a Server-Sent Events stream over real HTTP with the JDK client, line by line, and collects its
 * events.
 */
final class SseClient implements AutoCloseable {

	/**
	 * One event of the stream.
	 */
	record Event(String id, String name, JsonNode data) {
	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final HttpResponse<Stream<String>> response;

	private final Thread reader;

	private SseClient(HttpResponse<Stream<String>> response, JsonMapper mapper) {
		this.response = response;
		this.reader = new Thread(() -> read(response.body(), mapper), "sse-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	static SseClient open(String url, String lastEventId) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.sendAsync(request.build(), BodyHandlers.ofLines())
			.get(10, TimeUnit.SECONDS);
		return new SseClient(response, JsonMapper.builder().build());
	}

	static SseClient open(String url) throws Exception {
		return open(url, null);
	}

	private void read(Stream<String> lines, JsonMapper mapper) {
		String[] current = new String[3];
		try {
			lines.forEach((line) -> {
				if (line.isEmpty()) {
					if (current[2] != null) {
						this.events.add(new Event(current[0], (current[1] != null) ? current[1] : "message",
								mapper.readTree(current[2])));
					}
					current[0] = null;
					current[1] = null;
					current[2] = null;
				}
				else if (line.startsWith(":")) {
					this.comments.add(line.substring(1));
				}
				else if (line.startsWith("id:")) {
					current[0] = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					current[1] = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					current[2] = line.substring(5).strip();
				}
			});
		}
		catch (RuntimeException ex) {
			// Closed.
		}
	}

	/**
	 * @return whether the server ended the stream (or it was closed)
	 */
	boolean ended() {
		return !this.reader.isAlive();
	}

	int status() {
		return this.response.statusCode();
	}

	String contentType() {
		return this.response.headers().firstValue("Content-Type").orElse("");
	}

	List<Event> events() {
		return new ArrayList<>(this.events);
	}

	int eventCount() {
		return this.events.size();
	}

	List<String> comments() {
		return new ArrayList<>(this.comments);
	}

	List<Event> awaitEvent(Predicate<Event> condition) {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.events.stream().anyMatch(condition));
		return events();
	}

	@Override
	public void close() {
		this.response.body().close();
	}

}
