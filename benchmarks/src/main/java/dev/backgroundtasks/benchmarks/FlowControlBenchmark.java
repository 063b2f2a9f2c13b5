package dev.backgroundtasks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue #21, item 7: what flow control costs. One node (library defaults, 8 worker threads) on a fresh
 * PostgreSQL database ({@code bgt_bench_flow}, dropped afterwards) runs, in one JVM and one after the other:
 * <ol>
 * <li>an untimed warm-up drain of {@code bench.warmupRows} (20,000) no-op tasks;</li>
 * <li>{@code bench.rows} (100,000) queued no-op tasks without limits: the reference;</li>
 * <li>the same number of no-op tasks with {@code partitionBy = "key", concurrency = 2}, the key spread
 * round-robin over {@code bench.partitions} (100) values: the cost of partitioned limits (the limit binds
 * rarely, since 8 threads run no-op tasks: what is measured is the limited claim path);</li>
 * <li>{@code bench.rateRows} (25,000) no-op tasks with {@code rate = "5000/1s"}: how close the starts come to
 * the rate, the most starts in any one-second window (from the rows' {@code started_at}, database time), and
 * the database commits per second meanwhile (waiting without polling shows as few commits).</li>
 * </ol>
 * Each drain is queued while the tasks are held at a gate (the first claims wait there), the table is
 * analyzed, and the drain is timed from the gate's opening until the database shows every row of the
 * scenario finished. Written to
 * {@code bench.output} ({@code benchmarks/target/FLOW-CONTROL.md}).
 */
public final class FlowControlBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static final Map<Integer, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

	static final AtomicInteger MOST_IN_A_PARTITION = new AtomicInteger();

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final int rows = Bench.integer("rows", 100_000);

	private final int partitions = Bench.integer("partitions", 100);

	private final int rateRows = Bench.integer("rateRows", 25_000);

	private FlowControlBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		new FlowControlBenchmark().run();
	}

	private void run() throws Exception {
		String started = LocalDateTime.now().format(TIME);
		String load = MachineLoad.awaitQuiet(FlowControlBenchmark::log);
		String database = "bgt_bench_flow";
		this.postgres.create(database);
		Map<String, Object> figures = new LinkedHashMap<>();
		try (ConfigurableApplicationContext context = start(this.postgres.url(database))) {
			TaskClient client = context.getBean(TaskClient.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			log("warm-up");
			drain(client, jdbc, "noop", Bench.integer("warmupRows", 20_000), (i) -> Map.of());
			for (int repetition = 1; repetition <= Bench.integer("repetitions", 3); repetition++) {
				log("repetition " + repetition + ": no limits");
				figures.merge("unlimited", drain(client, jdbc, "noop", this.rows, (i) -> Map.of()), FlowControlBenchmark::join);
				log("repetition " + repetition + ": partitioned");
				MOST_IN_A_PARTITION.set(0);
				figures.merge("partitioned",
						drain(client, jdbc, "partitioned", this.rows, (i) -> Map.of("key", i % this.partitions)),
						FlowControlBenchmark::join);
				figures.merge("mostInAPartition", MOST_IN_A_PARTITION.get(), FlowControlBenchmark::join);
				log("repetition " + repetition + ": rate");
				long commitsBefore = this.postgres.commits(database).orElse(-1);
				long began = System.nanoTime();
				double rate = drain(client, jdbc, "rated", this.rateRows, (i) -> Map.of());
				double seconds = this.rateRows / rate;
				long commits = this.postgres.commits(database).orElse(-1) - commitsBefore;
				figures.merge("rateStartSpan", startSpan(jdbc, "rated"), FlowControlBenchmark::join);
				figures.merge("rateMostInASecond", mostInAnyWindow(jdbc, "rated", 1_000_000), FlowControlBenchmark::join);
				figures.merge("rateCommitsPerSecond", Math.round(commits / ((System.nanoTime() - began) / 1e9)),
						FlowControlBenchmark::join);
				figures.merge("rateSeconds", String.format(Locale.ROOT, "%.2f", seconds), FlowControlBenchmark::join);
			}
		}
		finally {
			this.postgres.drop(database);
		}
		figures.put("load-before-run", load.replace(", ", "/"));
		figures.put("load-after-run", MachineLoad.averages().replace(", ", "/"));
		log(figures.toString());
		Path output = Path.of(Bench.str("output", "benchmarks/target/FLOW-CONTROL.md"));
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report(started, figures), StandardCharsets.UTF_8);
		log("wrote " + output);
	}

	private static Object join(Object earlier, Object later) {
		return earlier + ", " + later;
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.datasource.url=" + url,
					"spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"background-tasks.worker.concurrency=" + Bench.integer("workerThreads", 8))
			.run();
	}

	/**
	 * Queues the executions while the tasks wait at the gate, opens it and waits until every row of the
	 * task is finished.
	 * @return tasks per second from the gate's opening until the database showed them all finished
	 */
	private static double drain(TaskClient client, JdbcTemplate jdbc, String task, int count,
			IntFunction<Map<String, ?>> params) {
		jdbc.update("DELETE FROM bgt_execution WHERE task_name = ?", task);
		gate = new CountDownLatch(1);
		List<Map<String, ?>> chunk = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			chunk.add(params.apply(i));
			if (chunk.size() == 1_000 || i == count - 1) {
				client.submitAll(task, chunk);
				chunk.clear();
			}
		}
		// As after a load in production, once autovacuum caught up: the planner's statistics know the queue.
		jdbc.execute("ANALYZE bgt_execution");
		long start = System.nanoTime();
		gate.countDown();
		String left = "SELECT count(*) FROM bgt_execution WHERE task_name = ? AND status NOT IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')";
		while (jdbc.queryForObject(left, Long.class, task) > 0) {
			Bench.sleep(20);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Long failed = jdbc.queryForObject("SELECT count(*) FROM bgt_execution WHERE task_name = ? AND status <> 'SUCCESSFUL'",
				Long.class, task);
		if (failed != null && failed > 0) {
			throw new IllegalStateException(failed + " executions of " + task + " did not succeed");
		}
		return Math.round(count / seconds * 10) / 10.0;
	}

	/** Seconds from the first start to the last, from the rows' started_at. */
	private static String startSpan(JdbcTemplate jdbc, String task) {
		List<Timestamp> span = jdbc.queryForList("SELECT started_at FROM bgt_execution WHERE task_name = ?"
				+ " AND (started_at = (SELECT MIN(started_at) FROM bgt_execution WHERE task_name = ?)"
				+ " OR started_at = (SELECT MAX(started_at) FROM bgt_execution WHERE task_name = ?)) ORDER BY started_at",
				Timestamp.class, task, task, task);
		return String.format(Locale.ROOT, "%.2f", (micros(span.get(span.size() - 1)) - micros(span.get(0))) / 1e6);
	}

	/** The most starts in any window of that many microseconds, from the rows' started_at. */
	private static int mostInAnyWindow(JdbcTemplate jdbc, String task, long windowMicros) {
		List<Timestamp> starts = jdbc.queryForList(
				"SELECT started_at FROM bgt_execution WHERE task_name = ? ORDER BY started_at", Timestamp.class, task);
		int most = 0;
		int first = 0;
		for (int last = 0; last < starts.size(); last++) {
			while (micros(starts.get(last)) - micros(starts.get(first)) >= windowMicros) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

	private static long micros(Timestamp timestamp) {
		return timestamp.getTime() / 1_000 * 1_000_000 + timestamp.getNanos() / 1_000;
	}

	private String report(String started, Map<String, Object> figures) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("Run started ").append(started).append(". Command: `")
			.append(Bench.str("command", "scripts/flow-control-benchmark.sh")).append("`. Library: `")
			.append(ResultsReport.shell("git", "rev-parse", "--short", "HEAD")).append("`")
			.append(ResultsReport.shell("git", "status", "--porcelain", "--", ".", ":!benchmarks").isEmpty() ? ""
					: " (with uncommitted changes)")
			.append(".\n\n")
			.append(String.format(Locale.ROOT,
					"One node, 8 worker threads, PostgreSQL; each figure one value per repetition, in order."
							+ " Drains: %,d queued no-op tasks, timed from the gate's opening until the database shows"
							+ " all finished.%n%n",
					this.rows))
			.append("| figure | values |\n|---|---|\n");
		row(md, "drain without limits (tasks/s)", figures.get("unlimited"));
		row(md, String.format(Locale.ROOT, "drain, partitionBy over %d values, concurrency 2 each (tasks/s)",
				this.partitions), figures.get("partitioned"));
		row(md, "most running at once in one partition (seen by the tasks)", figures.get("mostInAPartition"));
		row(md, String.format(Locale.ROOT, "rate 5000/1s, %,d tasks: seconds from the first start to the last"
				+ " (started_at; at the rate exactly: %d)", this.rateRows, this.rateRows / 5000 - 1), figures.get("rateStartSpan"));
		row(md, "rate 5000/1s: seconds from the gate to the last finish", figures.get("rateSeconds"));
		row(md, "rate 5000/1s: most starts in any one-second window (started_at)", figures.get("rateMostInASecond"));
		row(md, "rate 5000/1s: database commits per second during the run", figures.get("rateCommitsPerSecond"));
		row(md, "load average before / after", figures.get("load-before-run") + " / " + figures.get("load-after-run"));
		md.append("\nPostgreSQL: ");
		this.postgres.settings().forEach((name, value) -> md.append(name).append('=').append(value).append("; "));
		return md.append('\n').toString();
	}

	private static void row(StringBuilder md, String name, Object value) {
		md.append("| ").append(name).append(" | ").append(value).append(" |\n");
	}

	private static void log(String message) {
		System.out.println("[flow-control " + LocalDateTime.now().format(TIME) + "] " + message);
	}

	static void awaitGate() {
		try {
			gate.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FlowTasks.class)
	static class App {

	}

	static class FlowTasks {

		@BackgroundTask(name = "noop", description = "Does nothing: the reference drain")
		public void noop() {
			awaitGate();
		}

		@BackgroundTask(name = "partitioned", description = "Does nothing, at most 2 at once per key",
				partitionBy = "key", concurrency = 2)
		public void partitioned(int key) {
			awaitGate();
			AtomicInteger running = RUNNING.computeIfAbsent(key, (k) -> new AtomicInteger());
			int now = running.incrementAndGet();
			MOST_IN_A_PARTITION.accumulateAndGet(now, Math::max);
			running.decrementAndGet();
		}

		@BackgroundTask(name = "rated", description = "Does nothing, at most 5000 starts a second", rate = "5000/1s")
		public void rated() {
			awaitGate();
		}

	}

}
