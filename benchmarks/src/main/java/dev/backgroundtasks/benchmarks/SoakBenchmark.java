package dev.backgroundtasks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue #19, targets 4 and 6 (first half): a soak. One {@link SoakNode} on a fresh PostgreSQL database
 * ({@code bgt_soak}, dropped afterwards) submits 2,000 tasks a second open loop and runs them, with a
 * retention short enough that rows are deleted as they age, for {@code bench.soakMinutes} (30), sampling
 * every 10 s. The first {@code bench.soakBaselineSeconds} (300) are the warm-up; the baseline of each figure
 * is its mean over the next {@code bench.soakBaselineSpanSeconds} (60), and every later value is compared to
 * it (±10 %). With {@code -Dbench.soakSmoke=true}: 2 minutes, a 30 s warm-up and a 30 s baseline, retention
 * of 30 s (unless {@code bench.soakRetention} says otherwise), no wait
 * for a quiet machine, output under {@code benchmarks/target}. Otherwise it first waits until the 1-minute
 * load average is under {@code bench.maxLoad} (1.5). Writes {@code <output>.csv} (the time series),
 * {@code <output>.md} ({@link SoakReport}) and {@code <output>.svg} ({@link SoakChart}), where
 * {@code <output>} is {@code bench.soakOutput} ({@code benchmarks/results/<date>-issue19-soak}).
 */
public final class SoakBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final Path logs = Path.of(Bench.str("logDir", "benchmarks/target/bench-logs"));

	private final boolean smoke = Bench.flag("soakSmoke");

	private SoakBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		new SoakBenchmark().run();
	}

	private void run() throws Exception {
		int seconds = this.smoke ? Bench.integer("soakSeconds", 120) : Bench.integer("soakMinutes", 30) * 60;
		int baseline = Bench.integer("soakBaselineSeconds", this.smoke ? 30 : 300);
		int span = Bench.integer("soakBaselineSpanSeconds", this.smoke ? 30 : 60);
		if (seconds <= baseline + span) {
			throw new IllegalArgumentException("the soak (" + seconds + " s) must last longer than its warm-up ("
					+ baseline + " s) and baseline (" + span + " s)");
		}
		String date = LocalDate.now().toString();
		String output = Bench.str("soakOutput",
				this.smoke ? "benchmarks/target/" + date + "-issue19-soak-smoke" : "benchmarks/results/" + date + "-issue19-soak");
		Path csv = Path.of(output + ".csv");
		String started = LocalDateTime.now().format(TIME);
		String load = this.smoke ? MachineLoad.averages() : MachineLoad.awaitQuiet(SoakBenchmark::log);
		Map<String, String> figures = soak(seconds, csv);
		figures.put("load-before-run", load.replace(", ", "/"));
		figures.put("load-after-run", MachineLoad.averages().replace(", ", "/"));
		log(figures.toString());
		SoakReport report = new SoakReport(SoakReport.read(csv), baseline, span);
		String header = "Run started " + started + ". Command: `" + Bench.str("command", "scripts/soak-benchmark.sh")
				+ "`. Library: `" + ResultsReport.shell("git", "rev-parse", "--short", "HEAD") + "`"
				+ (ResultsReport.shell("git", "status", "--porcelain", "--", ".", ":!benchmarks").isEmpty() ? ""
						: " (with uncommitted changes)")
				+ ". Node JVM: `" + Bench.str("jvmArgs", "-Xms1g -Xmx2g -XX:+UseG1GC") + "`. Time series: `"
				+ csv.getFileName() + "`, plot: `" + Path.of(output + ".svg").getFileName() + "`.\n\n";
		Files.writeString(Path.of(output + ".md"), header + report.markdown(figures, this.postgres.settings()),
				StandardCharsets.UTF_8);
		Files.writeString(Path.of(output + ".svg"), new SoakChart(report).svg(), StandardCharsets.UTF_8);
		log("wrote " + output + ".{csv,md,svg}");
	}

	private Map<String, String> soak(int seconds, Path csv) throws Exception {
		String database = "bgt_soak";
		this.postgres.create(database);
		try {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("bench.jdbcUrl", this.postgres.url(database));
			properties.put("bench.soakSeconds", Integer.toString(seconds));
			properties.put("bench.soakCsv", csv.toAbsolutePath().toString());
			if (this.smoke && System.getProperty("bench.soakRetention") == null) {
				// Rows must age out within the 2 minutes, as they do after 2 minutes of a full run.
				properties.put("bench.soakRetention", "30s");
			}
			log("soaking for " + seconds + " s; samples in " + csv);
			ChildJvm node = ChildJvm.start("SoakNode", "soak", properties, this.logs, database + "-node");
			return new LinkedHashMap<>(node.awaitResult(seconds + Bench.integer("scenarioTimeoutSeconds", 600)));
		}
		finally {
			this.postgres.drop(database);
		}
	}

	private static void log(String message) {
		System.out.println("[soak " + LocalDateTime.now().format(TIME) + "] " + message);
	}

}
