package dev.backgroundtasks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Issue #16: a drain of queued no-op tasks on PostgreSQL with the dashboard closed and open. Each run: a
 * fresh database ({@code bgt_dashdrain_<n>}, dropped afterwards), {@code bench.drainWarmupRows} (50,000)
 * plus {@code bench.rows} (200,000) executions queued by {@code OursBenchmark load} in a JVM of their own,
 * then a {@link DashboardDrainNode} (a web application: REST API, event stream, dashboard) whose tasks
 * wait until this JVM's clients ({@link DashboardClients}) have connected and settled for
 * {@code bench.settleSeconds} (3); the warm-up tasks run untimed in the same JVM, the next
 * {@code bench.rows} are timed from the first one's start until the database shows all finished.
 * <p>
 * Modes ({@code bench.dashboardModes}, default {@code closed,dashboard,full}):
 * <ul>
 * <li>{@code closed}: no client;</li>
 * <li>{@code dashboard}: an open dashboard: the event stream with {@code ?summary=true}, a GET of the
 * executions page every second and of the overview every 5 s;</li>
 * <li>{@code full}: one client of the full event stream (every event), nothing else;</li>
 * <li>{@code stream}: the summary stream alone, and {@code pages}: the GETs alone, to tell apart what
 * the dashboard costs.</li>
 * </ul>
 * Runs alternate: repetition {@code r} (of {@code bench.repetitions}, 3) runs the modes rotated by
 * {@code r}. Before each run the harness waits until the machine's 1-minute load average is under
 * {@code bench.maxLoad} (1.5), for at most {@code bench.maxLoadWaitSeconds} (1,800). Reported per run:
 * the drain rate, the CPU of the draining JVM (by thread group), of its database's PostgreSQL backends and
 * of the whole machine over the timed part, and what the clients saw; then the median per mode and its
 * ratio to {@code closed}. Written to {@code bench.output} ({@code benchmarks/target/DASHBOARD-DRAIN.md}).
 */
public final class DashboardDrainBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final Path logs = Path.of(Bench.str("logDir", "benchmarks/target/bench-logs"));

	private final int rows = Bench.integer("rows", 200_000);

	private final int warmupRows = Bench.integer("drainWarmupRows", 50_000);

	private final List<String> modes = Bench.list("dashboardModes", "closed,dashboard,full");

	private final int repetitions = Bench.integer("repetitions", 3);

	private final List<Run> runs = new ArrayList<>();

	private int sequence;

	private DashboardDrainBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		new DashboardDrainBenchmark().run();
	}

	private void run() throws Exception {
		String started = LocalDateTime.now().format(TIME);
		for (int rep = 0; rep < this.repetitions; rep++) {
			for (int i = 0; i < this.modes.size(); i++) {
				String mode = this.modes.get((i + rep) % this.modes.size());
				String load = MachineLoad.awaitQuiet(DashboardDrainBenchmark::log);
				Run run = measure(mode, rep + 1, load);
				this.runs.add(run);
				log(run.mode + " #" + run.repetition + ": " + run.figures);
			}
		}
		Path output = Path.of(Bench.str("output", "benchmarks/target/DASHBOARD-DRAIN.md"));
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, report(started), StandardCharsets.UTF_8);
		log("wrote " + output);
	}

	private Run measure(String mode, int repetition, String load) throws Exception {
		String database = "bgt_dashdrain_" + (++this.sequence);
		this.postgres.create(database);
		Path gate = Files.createTempFile("bgt-dashdrain-gate", "");
		Files.delete(gate);
		try {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("bench.jdbcUrl", this.postgres.url(database));
			properties.put("bench.rows", Integer.toString(this.rows + this.warmupRows));
			properties.put("bench.drainWarmupRows", Integer.toString(this.warmupRows));
			ChildJvm.start("OursBenchmark", "load", properties, this.logs, database + "-load").awaitResult(timeout());
			int port = Bench.freePort();
			properties.put("bench.port", Integer.toString(port));
			properties.put("bench.gateFile", gate.toString());
			ChildJvm node = ChildJvm.start("DashboardDrainNode", "drain", properties, this.logs, database + "-" + mode);
			try (DashboardClients clients = new DashboardClients("http://127.0.0.1:" + port)) {
				node.awaitReady(timeout());
				if (mode.equals("dashboard") || mode.equals("stream")) {
					clients.stream(true);
				}
				else if (mode.equals("full")) {
					clients.stream(false);
				}
				if (mode.equals("dashboard") || mode.equals("pages")) {
					clients.pages();
				}
				Bench.sleep(Bench.integer("settleSeconds", 3) * 1_000L);
				Files.createFile(gate);
				Map<String, Object> figures = new TreeMap<>(node.awaitResultLine(timeout()));
				// The clients stop when the drain is over, before the node shuts down.
				clients.close();
				if (!mode.equals("closed")) {
					figures.putAll(clients.figures());
				}
				figures.put("load-before-run", load.replace(", ", "/"));
				node.awaitResult(timeout());
				return new Run(mode, repetition, figures);
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
		return Bench.integer("scenarioTimeoutSeconds", 900);
	}

	private String report(String started) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("Run started ").append(started).append(". Command: `")
			.append(Bench.str("command", "scripts/dashboard-drain-benchmark.sh")).append("`\n\n")
			.append(String.format(Locale.ROOT,
					"Drain of %,d queued no-op tasks after %,d untimed in the same JVM, 8 worker threads, one node;"
							+ " median of %d runs per mode, modes alternating.%n%n",
					this.rows, this.warmupRows, this.repetitions))
			.append("| mode | drain (tasks/s), median (min–max) | vs closed | JVM CPU ms per 1,000 tasks |"
					+ " PostgreSQL backends CPU ms per 1,000 tasks | machine busy (cores) |\n")
			.append("|---|---|---|---|---|---|\n");
		double closed = median("closed", "drainRate");
		for (String mode : this.modes) {
			double rate = median(mode, "drainRate");
			md.append("| ").append(mode).append(" | ")
				.append(String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", rate, extreme(mode, "drainRate", false),
						extreme(mode, "drainRate", true)))
				.append(" | ")
				.append(closed > 0 ? String.format(Locale.ROOT, "%.3f", rate / closed) : "-")
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.0f", medianPerThousand(mode, "cpu.jvm")))
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.0f", medianPerThousand(mode, "cpu.postgres-backends")))
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.2f", medianOf(mode, (run) -> run.number("cpu.machine-busy")
						/ (run.number("drainSeconds") * 1000))))
				.append(" |\n");
		}
		md.append("\nEvery run, in the order run (CPU in ms over the timed part; `cpu.thread.*` by thread group):\n\n");
		for (Run run : this.runs) {
			md.append("- **").append(run.mode).append(" #").append(run.repetition).append("**: ");
			run.figures.forEach((key, value) -> md.append(key).append('=').append(value).append(' '));
			md.append('\n');
		}
		md.append("\nPostgreSQL: ");
		this.postgres.settings().forEach((name, value) -> md.append(name).append('=').append(value).append("; "));
		return md.append('\n').toString();
	}

	private double median(String mode, String key) {
		return medianOf(mode, (run) -> run.number(key));
	}

	private double medianPerThousand(String mode, String key) {
		return medianOf(mode, (run) -> run.number(key) * 1000 / run.number("drained"));
	}

	private double medianOf(String mode, ToDoubleFunction<Run> value) {
		List<Double> values = this.runs.stream()
			.filter((run) -> run.mode.equals(mode))
			.map(value::applyAsDouble)
			.sorted()
			.toList();
		if (values.isEmpty()) {
			return 0;
		}
		int n = values.size();
		return (n % 2 == 1) ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
	}

	private double extreme(String mode, String key, boolean max) {
		return this.runs.stream()
			.filter((run) -> run.mode.equals(mode))
			.mapToDouble((run) -> run.number(key))
			.reduce(max ? Double::max : Double::min)
			.orElse(0);
	}

	private static void log(String message) {
		System.out.println("[dashboard-drain " + LocalDateTime.now().format(TIME) + "] " + message);
	}

	/**
	 * One drain and what was measured during it.
	 */
	private record Run(String mode, int repetition, Map<String, Object> figures) {

		double number(String key) {
			Object value = this.figures.get(key);
			return (value != null) ? Double.parseDouble(value.toString()) : 0;
		}

	}

}
