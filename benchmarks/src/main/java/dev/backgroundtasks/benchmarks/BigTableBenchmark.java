package dev.backgroundtasks.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Issue #19, target 5 (big tables): one node of the starter, with its REST API and Actuator, over
 * HTTP, on a PostgreSQL table of {@code bench.rows} (10,000,000) finished executions filled by
 * {@link DashboardData}, in a fresh database ({@code bench.databaseName}, dropped afterwards). Timed:
 * the first page of {@code GET /executions} alone and with each filter, a page 1,000 pages deep by
 * cursor ({@code before}) and by page number, and {@code GET /actuator/health}, each {@code bench.runs}
 * (200) times after {@code bench.warmup} (10) untimed calls, requests interleaved; then the claim
 * rate: a drain of {@code bench.drainRows} (100,000) queued no-op tasks by this node's 8 worker
 * threads, on the empty table first and on the big one last, in the same run.
 */
public final class BigTableBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private static final Pattern NEXT = Pattern.compile("\"next\":\"([0-9a-f-]{36})\"");

	static volatile CountDownLatch gate = new CountDownLatch(0);

	/** No-op executions that returned in this JVM since the drain began. */
	static final AtomicLong ran = new AtomicLong();

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final long rows = Long.parseLong(Bench.str("rows", "10000000").replace("_", ""));

	private final int drainRows = Bench.integer("drainRows", 100_000);

	private final int runs = Bench.integer("runs", 200);

	private final int warmup = Bench.integer("warmup", 10);

	private final int depth = Bench.integer("depth", 1_000);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private BigTableBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		// DashboardData's backlog: none, the drains queue their own (one RUNNING row leased for a day).
		System.setProperty("bench.dashboardReady", Bench.str("dashboardReady", "0"));
		System.setProperty("bench.dashboardRunning", Bench.str("dashboardRunning", "1"));
		new BigTableBenchmark().run();
	}

	private void run() throws Exception {
		String started = LocalDateTime.now().format(TIME);
		String database = Bench.str("databaseName", "bgt_bigtable");
		StringBuilder report = new StringBuilder();
		this.postgres.create(database);
		try (ConfigurableApplicationContext context = start(this.postgres.url(database))) {
			DataSource dataSource = context.getBean(DataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			TaskClient client = context.getBean(TaskClient.class);
			String base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			StatementStats statements = new StatementStats(jdbc);
			StringBuilder drainStatements = new StringBuilder();
			log("drain on the empty table");
			double emptyRate = drain(client, jdbc, statements, "the empty table", drainStatements);
			jdbc.execute("TRUNCATE bgt_execution");
			log(String.format(Locale.ROOT, "%,d finished executions into %s", this.rows, database));
			long loadStart = System.nanoTime();
			new DashboardData(dataSource).load(this.rows);
			jdbc.execute("VACUUM ANALYZE");
			long loadSeconds = Math.round((System.nanoTime() - loadStart) / 1e9);
			Map<String, String> requests = requests(base);
			Map<String, long[]> samples = time(requests);
			log("drain on the big table");
			double bigRate = drain(client, jdbc, statements, "the big table", drainStatements);
			report.append(header(started, database, jdbc, loadSeconds));
			report.append("| request | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
			samples.forEach((name, nanos) -> report.append("| `").append(name).append("` | ")
				.append(figures(nanos)).append(" |\n"));
			report.append(String.format(Locale.ROOT, "%n| claim rate (drain of %,d no-op tasks, 8 threads) | tasks/s |"
					+ "%n|---|---|%n| empty table | %.0f |%n| %,d finished rows | %.0f |%n| ratio | %.3f |%n%n",
					this.drainRows, emptyRate, this.rows, bigRate, bigRate / emptyRate));
			report.append(drainStatements);
			report.append("Load average (1, 5, 15 min) at the end: ").append(MachineLoad.averages()).append(".\n");
		}
		finally {
			if (!Bench.flag("keepDatabase")) {
				this.postgres.drop(database);
			}
		}
		Path output = Path.of(Bench.str("output",
				"benchmarks/results/" + LocalDate.now() + "-issue19-big-tables.md"));
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report, StandardCharsets.UTF_8);
		log("wrote " + output);
	}

	/**
	 * The requests timed, by name: the first page of 20 alone and with each filter (values that
	 * {@link DashboardData} stores), then a page {@code bench.depth} pages deep, by the cursor a walk
	 * there gave and by page number, and the health.
	 */
	private Map<String, String> requests(String base) throws Exception {
		String api = base + "/api/v1/executions?size=20";
		String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
		Map<String, String> requests = new LinkedHashMap<>();
		requests.put("no filter", api);
		for (String filter : List.of("task=task-03", "tag=bench", "status=SUCCESSFUL", "status=FAILED",
				"status=CANCELLED", "status=RUNNING", "status=READY", "key=order-4242", "node=node-3",
				"trigger=API", "trigger=SCHEDULE", "submittedBy=user-2", "from=" + hourAgo,
				"from=" + hourAgo + "&to=" + Instant.now().truncatedTo(ChronoUnit.SECONDS),
				"batchId=" + UUID.randomUUID(), "task=task-03&status=FAILED")) {
			requests.put(filter, api + "&" + filter);
		}
		String cursor = null;
		for (int page = 0; page < this.depth; page++) {
			String body = get(api + ((cursor != null) ? "&before=" + cursor : ""));
			Matcher next = NEXT.matcher(body);
			if (!next.find()) {
				throw new IllegalStateException("The listing ended after " + page + " pages: load more rows");
			}
			cursor = next.group(1);
		}
		requests.put("page " + this.depth + " by cursor (before=)", api + "&before=" + cursor);
		requests.put("page " + this.depth + " by number (page=)", api + "&page=" + this.depth);
		requests.put("/actuator/health", base + "/actuator/health");
		return requests;
	}

	private Map<String, long[]> time(Map<String, String> requests) throws Exception {
		for (int round = 0; round < this.warmup; round++) {
			for (String uri : requests.values()) {
				get(uri);
			}
		}
		Map<String, long[]> samples = new LinkedHashMap<>();
		requests.keySet().forEach((name) -> samples.put(name, new long[this.runs]));
		for (int round = 0; round < this.runs; round++) {
			for (Map.Entry<String, String> request : requests.entrySet()) {
				long start = System.nanoTime();
				get(request.getValue());
				samples.get(request.getKey())[round] = System.nanoTime() - start;
			}
		}
		return samples;
	}

	private String get(String uri) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	/**
	 * Queues the no-op tasks while they wait at the gate, analyzes the table (as autovacuum would have),
	 * opens the gate and waits until the database shows every one finished; adds what the server spent per
	 * statement meanwhile to the report.
	 * @return tasks per second from the gate's opening
	 */
	private double drain(TaskClient client, JdbcTemplate jdbc, StatementStats statements, String table,
			StringBuilder report) {
		gate = new CountDownLatch(1);
		List<Map<String, ?>> chunk = new ArrayList<>();
		for (int i = 0; i < this.drainRows; i++) {
			chunk.add(Map.of());
			if (chunk.size() == 1_000 || i == this.drainRows - 1) {
				client.submitAll("noop", chunk);
				chunk.clear();
			}
		}
		jdbc.execute("ANALYZE bgt_execution");
		ran.set(0);
		statements.reset();
		long start = System.nanoTime();
		gate.countDown();
		// Counted in this JVM while they run; the database is asked only at the end, once per status so that
		// each count reads its partial index: "status IN ('READY', 'RUNNING')" matches neither, and in the
		// first runs its sequential scan of the big table (2 s a call) took a core from the drain it timed.
		while (ran.get() < this.drainRows) {
			Bench.sleep(5);
		}
		String left = "SELECT (SELECT count(*) FROM bgt_execution WHERE status = 'READY' AND task_name = 'noop')"
				+ " + (SELECT count(*) FROM bgt_execution WHERE status = 'RUNNING' AND task_name = 'noop')";
		while (jdbc.queryForObject(left, Long.class) > 0) {
			Bench.sleep(10);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		// Before the clean-up below, which would count among them.
		report.append(statements.table("Statements during the drain on " + table, 8));
		jdbc.update("DELETE FROM bgt_execution WHERE task_name = 'noop'");
		log(String.format(Locale.ROOT, "  %,d in %.2f s", this.drainRows, seconds));
		return this.drainRows / seconds;
	}

	private String header(String started, String database, JdbcTemplate jdbc, long loadSeconds) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("Run started ").append(started).append(". Command: `")
			.append(Bench.str("command", "scripts/big-table-benchmark.sh")).append("`. Library: `")
			.append(ResultsReport.shell("git", "rev-parse", "--short", "HEAD")).append("`.\n\n")
			.append(String.format(Locale.ROOT, "`bgt_execution`: %,d finished rows (loaded and vacuumed in %d s), %s"
					+ " with indexes. Milliseconds per HTTP request from this JVM's client to its own server (one"
					+ " node, 8 worker threads idle meanwhile), %d timed calls each after %d untimed, interleaved;"
					+ " pages of 20.%n%n", this.rows, loadSeconds,
					jdbc.queryForObject("SELECT pg_size_pretty(pg_total_relation_size('bgt_execution'))", String.class),
					this.runs, this.warmup))
			.append("nproc: ").append(Runtime.getRuntime().availableProcessors()).append("; PostgreSQL: ");
		this.postgres.settings().forEach((name, value) -> md.append(name).append('=').append(value).append("; "));
		return md.append("\n\n").toString();
	}

	private static String figures(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return millis(sorted[Math.max(0, (int) Math.ceil(0.50 * sorted.length) - 1)]) + " | "
				+ millis(sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)]) + " | "
				+ millis(sorted[sorted.length - 1]);
	}

	private static String millis(long nanos) {
		double millis = nanos / 1e6;
		return String.format(Locale.ROOT, (millis >= 100) ? "%.0f" : (millis >= 10) ? "%.1f" : "%.2f", millis);
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "server.port=0",
					"spring.datasource.url=" + url, "spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"management.endpoint.health.show-details=always", "background-tasks.worker.concurrency=8",
					"background-tasks.retention.enabled=false", "background-tasks.dashboard.enabled=false")
			.run();
	}

	static void log(String message) {
		System.out.println("[big-table " + LocalDateTime.now().format(TIME) + "] " + message);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Component
		static class NoopTask {

			@BackgroundTask(name = "noop", tags = "bench")
			public void noop() throws InterruptedException {
				gate.await();
				ran.incrementAndGet();
			}

		}

	}

}
