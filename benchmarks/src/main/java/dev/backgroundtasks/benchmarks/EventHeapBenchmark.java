package dev.backgroundtasks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue #17, item 10: the heap of one node draining a large queue on PostgreSQL while a
 * {@code TaskExecutionListener} bean and one client of the full event stream are attached. A fresh database
 * ({@code bgt_eventheap}, dropped afterwards); {@code bench.rows} (1,000,000) executions queued by
 * {@code OursBenchmark load} in a JVM of their own; then an {@link EventHeapNode} (library defaults, a
 * counting listener) whose tasks wait until this JVM's stream client ({@link DashboardClients}, the full
 * stream, reconnecting with {@code Last-Event-ID} as a browser does) has connected and settled for
 * {@code bench.settleSeconds} (3). The node takes the heap after a full collection every
 * {@code bench.heapSampleSeconds} (5) from the first task's start until the database shows every row
 * finished. Before the run the harness waits until the 1-minute load average is under {@code bench.maxLoad}
 * (1.5), for at most {@code bench.maxLoadWaitSeconds} (1,800). Reported: the first, last and largest heap
 * samples, every sample, the events the node dropped, the longest its event queue grew, the listener's
 * callbacks, what the stream client received and the drain rate (the collections' pauses included).
 * Written to {@code bench.output} ({@code benchmarks/target/EVENT-HEAP.md}).
 */
public final class EventHeapBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final Path logs = Path.of(Bench.str("logDir", "benchmarks/target/bench-logs"));

	private final int rows = Bench.integer("rows", 1_000_000);

	private EventHeapBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		new EventHeapBenchmark().run();
	}

	private void run() throws Exception {
		String started = LocalDateTime.now().format(TIME);
		String load = MachineLoad.awaitQuiet(EventHeapBenchmark::log);
		Map<String, Object> figures = measure();
		figures.put("load-before-run", load.replace(", ", "/"));
		figures.put("load-after-run", MachineLoad.averages().replace(", ", "/"));
		log(figures.toString());
		Path output = Path.of(Bench.str("output", "benchmarks/target/EVENT-HEAP.md"));
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report(started, figures), StandardCharsets.UTF_8);
		log("wrote " + output);
	}

	private Map<String, Object> measure() throws Exception {
		String database = "bgt_eventheap";
		this.postgres.create(database);
		Path gate = Files.createTempFile("bgt-eventheap-gate", "");
		Files.delete(gate);
		try {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("bench.jdbcUrl", this.postgres.url(database));
			properties.put("bench.rows", Integer.toString(this.rows));
			log("queueing " + this.rows + " executions");
			ChildJvm.start("OursBenchmark", "load", properties, this.logs, database + "-load").awaitResult(timeout());
			int port = Bench.freePort();
			properties.put("bench.port", Integer.toString(port));
			properties.put("bench.gateFile", gate.toString());
			ChildJvm node = ChildJvm.start("EventHeapNode", "drain", properties, this.logs, database + "-node");
			try (DashboardClients client = new DashboardClients("http://127.0.0.1:" + port)) {
				node.awaitReady(timeout());
				client.stream(false);
				Bench.sleep(Bench.integer("settleSeconds", 3) * 1_000L);
				log("draining");
				Files.createFile(gate);
				Map<String, Object> figures = new TreeMap<>(node.awaitResultLine(timeout()));
				client.close();
				client.figures().forEach((key, value) -> {
					if (key.startsWith("stream.")) {
						figures.put(key, value);
					}
				});
				node.awaitResult(timeout());
				return figures;
			}
			finally {
				node.stop();
			}
		}
		finally {
			Files.deleteIfExists(gate);
			this.postgres.drop(database);
		}
	}

	private static long timeout() {
		return Bench.integer("scenarioTimeoutSeconds", 1800);
	}

	private String report(String started, Map<String, Object> figures) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("Run started ").append(started).append(". Command: `")
			.append(Bench.str("command", "scripts/event-heap-benchmark.sh")).append("`. Library: `")
			.append(ResultsReport.shell("git", "rev-parse", "--short", "HEAD")).append("`")
			.append(ResultsReport.shell("git", "status", "--porcelain", "--", ".", ":!benchmarks").isEmpty() ? ""
					: " (with uncommitted changes)")
			.append(". JVM options of the node: `").append(Bench.str("jvmArgs", "-Xms1g -Xmx2g -XX:+UseG1GC"))
			.append("`\n\n")
			.append(String.format(java.util.Locale.ROOT,
					"%,d queued no-op tasks drained by one node (library defaults) on PostgreSQL, with a"
							+ " TaskExecutionListener bean and one client of the full event stream; heap after a full GC"
							+ " every %s s from the first task's start, and once more at the end.%n%n",
					this.rows, Bench.str("heapSampleSeconds", "5")))
			.append("| figure | value |\n|---|---|\n");
		row(md, "heap after GC, first / last / max (MB)",
				figures.get("heapFirstMb") + " / " + figures.get("heapLastMb") + " / " + figures.get("heapMaxMb"));
		row(md, "tasks run / drained all", figures.get("ranInJvm") + " / " + figures.get("drainedAll"));
		row(md, "drain (tasks/s, collections included) in s", figures.get("drainRate") + " in " + figures.get("drainSeconds"));
		row(md, "events dropped (-1: not counted by this version)", figures.get("eventsDropped"));
		row(md, "event queue, longest seen / at the end", figures.get("eventsQueuedMax") + " / " + figures.get("eventsQueuedAtEnd"));
		row(md, "listener onStart / onComplete", figures.get("listenerOnStart") + " / " + figures.get("listenerOnComplete"));
		row(md, "stream client: events / connections / dropped notices (events they count)",
				figures.get("stream.events") + " / " + figures.get("stream.opens") + " / "
						+ figures.get("stream.dropped-notices") + " (" + figures.get("stream.dropped-events") + ")");
		md.append("\nHeap samples (seconds since the first start : tasks run : MB after GC : events queued : events"
				+ " dropped so far, -1 when not counted): ")
			.append(figures.get("heapSamples")).append("\n\nAll figures: ");
		figures.forEach((key, value) -> {
			if (!key.equals("heapSamples")) {
				md.append(key).append('=').append(value).append(' ');
			}
		});
		md.append("\n\nPostgreSQL: ");
		this.postgres.settings().forEach((name, value) -> md.append(name).append('=').append(value).append("; "));
		return md.append('\n').toString();
	}

	private static void row(StringBuilder md, String name, Object value) {
		md.append("| ").append(name).append(" | ").append(value).append(" |\n");
	}

	private static void log(String message) {
		System.out.println("[event-heap " + LocalDateTime.now().format(TIME) + "] " + message);
	}

}
