package dev.backgroundtasks.benchmarks;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What an open dashboard asks of a node, played by plain Java HTTP clients (no browser): the event
 * stream as the executions and overview pages open it ({@code ?summary=true}: one {@code changes} event
 * a second), or the full stream (every event), and the pages' live refresh: a GET of the executions
 * page every second (the page re-reads itself on each {@code changes} event, at most once a second)
 * and of the overview every 5 s. A stream that the server ends is opened again with
 * {@code Last-Event-ID}, as a browser's {@code EventSource} does.
 */
final class DashboardClients implements AutoCloseable {

	private static final Pattern SUMMED = Pattern.compile("\"events\":(\\d+)");

	private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final ScheduledExecutorService pages = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "dashboard-pages");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Long> executionsPageMicros = Collections.synchronizedList(new ArrayList<>());

	private final List<Long> overviewMicros = Collections.synchronizedList(new ArrayList<>());

	private final AtomicLong pageErrors = new AtomicLong();

	private final AtomicLong streamEvents = new AtomicLong();

	private final AtomicLong summedEvents = new AtomicLong();

	private final AtomicLong streamBytes = new AtomicLong();

	private final AtomicLong streamOpens = new AtomicLong();

	/** {@code dropped} events (a node's event queue was full), and the events they say were dropped. */
	private final AtomicLong droppedNotices = new AtomicLong();

	private final AtomicLong droppedEvents = new AtomicLong();

	private volatile boolean closed;

	private volatile @Nullable InputStream body;

	private final CompletableFuture<Void> connected = new CompletableFuture<>();

	/**
	 * @param base the node's root, {@code http://127.0.0.1:<port>}
	 */
	DashboardClients(String base) {
		this.base = base;
	}

	/**
	 * Opens the event stream and waits until the server says it is connected.
	 * @param summary whether to ask for summaries ({@code ?summary=true}), as the dashboard does
	 */
	void stream(boolean summary) throws Exception {
		Thread reader = new Thread(() -> readStream(summary), "dashboard-stream");
		reader.setDaemon(true);
		reader.start();
		this.connected.get(30, TimeUnit.SECONDS);
	}

	/**
	 * Starts the pages' refresh: the executions page every second, the overview every 5 s.
	 */
	void pages() {
		this.pages.scheduleAtFixedRate(() -> get("/background-tasks/executions", this.executionsPageMicros), 0, 1,
				TimeUnit.SECONDS);
		this.pages.scheduleAtFixedRate(() -> get("/background-tasks", this.overviewMicros), 0, 5, TimeUnit.SECONDS);
	}

	private void readStream(boolean summary) {
		String lastId = null;
		while (!this.closed) {
			HttpRequest.Builder request = HttpRequest
				.newBuilder(URI.create(this.base + "/api/v1/executions/stream" + (summary ? "?summary=true" : "")))
				.header("Accept", "text/event-stream");
			if (lastId != null) {
				request.header("Last-Event-ID", lastId);
			}
			try {
				HttpResponse<InputStream> response = this.http.send(request.build(),
						HttpResponse.BodyHandlers.ofInputStream());
				this.body = response.body();
				this.streamOpens.incrementAndGet();
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
					String line;
					String event = "";
					while ((line = lines.readLine()) != null) {
						this.streamBytes.addAndGet(line.length() + 1);
						if (line.startsWith(":")) {
							this.connected.complete(null);
						}
						else if (line.startsWith("id:")) {
							lastId = line.substring(3).trim();
						}
						else if (line.startsWith("event:")) {
							this.streamEvents.incrementAndGet();
							event = line.substring(6).trim();
						}
						else if (line.startsWith("data:") && event.equals("dropped")) {
							this.droppedNotices.incrementAndGet();
							Matcher count = COUNT.matcher(line);
							if (count.find()) {
								this.droppedEvents.addAndGet(Long.parseLong(count.group(1)));
							}
						}
						else if (line.startsWith("data:") && summary) {
							Matcher summed = SUMMED.matcher(line);
							if (summed.find()) {
								this.summedEvents.addAndGet(Long.parseLong(summed.group(1)));
							}
						}
					}
				}
			}
			catch (IOException ex) {
				if (!this.closed) {
					Bench.sleep(1_000);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void get(String path, List<Long> micros) {
		long start = System.nanoTime();
		try {
			HttpResponse<byte[]> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.base + path)).header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				this.pageErrors.incrementAndGet();
			}
			micros.add((System.nanoTime() - start) / 1_000);
		}
		catch (IOException | RuntimeException ex) {
			if (!this.closed) {
				this.pageErrors.incrementAndGet();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * @return what the clients saw: stream events and (re)connections, page GETs and their times (ms)
	 */
	Map<String, Object> figures() {
		Map<String, Object> figures = new TreeMap<>();
		figures.put("stream.opens", this.streamOpens.get());
		figures.put("stream.events", this.streamEvents.get());
		figures.put("stream.summed", this.summedEvents.get());
		figures.put("stream.kB", this.streamBytes.get() / 1024);
		figures.put("stream.dropped-notices", this.droppedNotices.get());
		figures.put("stream.dropped-events", this.droppedEvents.get());
		figures.put("pages.executions", this.executionsPageMicros.size());
		figures.put("pages.executions.p50ms", percentileMillis(this.executionsPageMicros, 0.5));
		figures.put("pages.executions.maxms", percentileMillis(this.executionsPageMicros, 1.0));
		figures.put("pages.overview", this.overviewMicros.size());
		figures.put("pages.overview.p50ms", percentileMillis(this.overviewMicros, 0.5));
		figures.put("pages.errors", this.pageErrors.get());
		return figures;
	}

	private static String percentileMillis(List<Long> micros, double quantile) {
		List<Long> sorted;
		synchronized (micros) {
			sorted = new ArrayList<>(micros);
		}
		if (sorted.isEmpty()) {
			return "-";
		}
		Collections.sort(sorted);
		long value = sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
		return String.format(Locale.ROOT, "%.1f", value / 1000.0);
	}

	@Override
	public void close() {
		this.closed = true;
		this.pages.shutdownNow();
		InputStream open = this.body;
		if (open != null) {
			try {
				open.close();
			}
			catch (IOException ex) {
				// Going away anyway.
			}
		}
	}

}
