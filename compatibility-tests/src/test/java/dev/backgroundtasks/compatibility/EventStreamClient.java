package dev.backgroundtasks.compatibility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads a Server-Sent Events stream on a thread of its own and keeps its lines.
 */
final class EventStreamClient implements AutoCloseable {

	private final HttpResponse<InputStream> response;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private EventStreamClient(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "event-stream-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * @param url the stream
	 * @return a client whose response headers have arrived (the server announced its subscriber by then)
	 */
	static EventStreamClient open(String url) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(30))
			.build();
		return new EventStreamClient(
				HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()));
	}

	int status() {
		return this.response.statusCode();
	}

	List<String> lines() {
		return this.lines;
	}

	private void read() {
		try (BufferedReader body = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			for (String line = body.readLine(); line != null; line = body.readLine()) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	@Override
	public void close() throws IOException {
		this.response.body().close();
	}

}
