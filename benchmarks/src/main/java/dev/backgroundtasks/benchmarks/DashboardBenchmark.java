package dev.backgroundtasks.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue #16: times the queries of the dashboard's overview and of its executions page's first page (and
 * of a few deeper pages), listed in {@link DashboardQueries}, on PostgreSQL holding
 * 1,000,000 and then 10,000,000 finished executions ({@code bench.dashboardSizes}), each size in a fresh
 * database ({@code bgt_dashbench_<rows>}, dropped afterwards) filled by {@link DashboardData}. The
 * starter runs as an application does (its migrations, its beans), without worker, scheduler, retention
 * or statistics recording, so nothing but the timed queries reads or writes meanwhile. Each size is
 * timed twice: after {@code ANALYZE} only, as right after a bulk load (no page is marked all-visible, so
 * index-only scans still visit the table), then after {@code VACUUM ANALYZE}, as autovacuum keeps a
 * table whose old rows no longer change. Each time, every query runs {@code bench.dashboardWarmup} (5)
 * times untimed, the first of them reported as "first", then {@code bench.dashboardRuns} (100, at least
 * 50) times, the queries interleaved; reported are p50, p99 and max in milliseconds, and how many
 * sequential scans of {@code bgt_execution} and {@code bgt_stats_minute} PostgreSQL counted meanwhile,
 * in one table for the overview and one for the executions page.
 */
public final class DashboardBenchmark {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

	private final Postgres postgres = new Postgres(Bench.str("postgresUrl", "jdbc:postgresql://127.0.0.1:5432/"));

	private final List<Long> sizes = Arrays.stream(Bench.str("dashboardSizes", "1000000,10000000").split(","))
		.map((size) -> Long.parseLong(size.trim().replace("_", "")))
		.toList();

	private final int warmup = Bench.integer("dashboardWarmup", 5);

	private final int runs = Math.max(50, Bench.integer("dashboardRuns", 100));

	private final StringBuilder report = new StringBuilder();

	private DashboardBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		new DashboardBenchmark().run();
	}

	private void run() throws Exception {
		String started = LocalDateTime.now().format(TIME);
		for (long rows : this.sizes) {
			measure(rows);
		}
		Path output = Path.of(Bench.str("output", "benchmarks/target/DASHBOARD.md"));
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, header(started) + this.report, StandardCharsets.UTF_8);
		log("wrote " + output);
	}

	private void measure(long rows) throws Exception {
		String database = "bgt_dashbench_" + rows;
		this.postgres.create(database);
		try (ConfigurableApplicationContext context = start(this.postgres.url(database))) {
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			log(String.format(Locale.ROOT, "%,d finished executions into %s", rows, database));
			long loadStart = System.nanoTime();
			new DashboardData(dataSource).load(rows);
			jdbc.execute("ANALYZE");
			long loadSeconds = Math.round((System.nanoTime() - loadStart) / 1e9);
			Map<String, Supplier<?>> overview = DashboardQueries.overview(context);
			Map<String, Supplier<?>> page = DashboardQueries.executionsPage(context, Instant.now());
			Map<String, Supplier<?>> queries = new LinkedHashMap<>(overview);
			queries.putAll(page);
			String loadBefore = MachineLoad.awaitQuiet(DashboardBenchmark::log);
			Phase analyzed = time(queries, dataSource, jdbc);
			log("  after ANALYZE: " + analyzed.summary());
			jdbc.execute("VACUUM ANALYZE");
			String loadBeforeVacuumed = MachineLoad.awaitQuiet(DashboardBenchmark::log);
			Phase vacuumed = time(queries, dataSource, jdbc);
			log("  after VACUUM ANALYZE: " + vacuumed.summary());
			section(rows, loadSeconds, jdbc, analyzed, vacuumed, loadBefore + " / " + loadBeforeVacuumed + " / "
					+ MachineLoad.averages(),
					List.of(overview.keySet(), page.keySet()));
		}
		finally {
			if (!Bench.flag("keepDatabase")) {
				this.postgres.drop(database);
			}
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.datasource.url=" + url,
					"spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"background-tasks.worker.enabled=false", "background-tasks.scheduler.enabled=false",
					"background-tasks.retention.enabled=false", "background-tasks.statistics.enabled=false")
			.run();
	}

	private Phase time(Map<String, Supplier<?>> queries, HikariDataSource dataSource, JdbcTemplate jdbc) {
		Map<String, Object> results = new LinkedHashMap<>();
		Map<String, Long> first = new LinkedHashMap<>();
		Map<String, long[]> samples = new LinkedHashMap<>();
		queries.keySet().forEach((name) -> samples.put(name, new long[this.runs]));
		for (int round = 0; round < this.warmup; round++) {
			for (Map.Entry<String, Supplier<?>> query : queries.entrySet()) {
				long start = System.nanoTime();
				Object result = query.getValue().get();
				long elapsed = System.nanoTime() - start;
				first.putIfAbsent(query.getKey(), elapsed);
				results.putIfAbsent(query.getKey(), result);
			}
		}
		Map<String, Long> scansBefore = sequentialScans(dataSource, jdbc);
		for (int round = 0; round < this.runs; round++) {
			for (Map.Entry<String, Supplier<?>> query : queries.entrySet()) {
				long start = System.nanoTime();
				query.getValue().get();
				samples.get(query.getKey())[round] = System.nanoTime() - start;
			}
		}
		Map<String, Long> scans = sequentialScans(dataSource, jdbc);
		scans.replaceAll((table, count) -> count - scansBefore.getOrDefault(table, 0L));
		return new Phase(samples, first, results, scans);
	}

	/**
	 * Sequential scans PostgreSQL counted per table. Backends report their counts when they exit: the
	 * pool's connections are closed first.
	 */
	private static Map<String, Long> sequentialScans(HikariDataSource dataSource, JdbcTemplate jdbc) {
		dataSource.getHikariPoolMXBean().softEvictConnections();
		Bench.sleep(1_000);
		Map<String, Long> scans = new LinkedHashMap<>();
		jdbc.query("SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname IN ('bgt_execution',"
				+ " 'bgt_stats_minute') ORDER BY relname", (rs) -> {
					scans.put(rs.getString(1), rs.getLong(2));
				});
		return scans;
	}

	private void section(long rows, long loadSeconds, JdbcTemplate jdbc, Phase analyzed, Phase vacuumed,
			String loadAverages, List<Set<String>> tables) {
		Map<String, Object> sizes = jdbc.queryForMap("SELECT"
				+ " pg_size_pretty(pg_total_relation_size('bgt_execution')) AS e,"
				+ " (SELECT COUNT(*) FROM bgt_execution) AS en,"
				+ " pg_size_pretty(pg_total_relation_size('bgt_stats_minute')) AS s,"
				+ " (SELECT COUNT(*) FROM bgt_stats_minute) AS sn");
		this.report.append(String.format(Locale.ROOT, "#### %,d finished executions%n%n", rows))
			.append(String.format(Locale.ROOT,
					"`bgt_execution`: %,d rows, %s with indexes; `bgt_stats_minute`: %,d rows, %s;"
							+ " loaded and analyzed in %d s.%n%n",
					(Long) sizes.get("en"), sizes.get("e"), (Long) sizes.get("sn"), sizes.get("s"), loadSeconds));
		for (Set<String> table : tables) {
			this.report
				.append("| query | after ANALYZE: p50 | p99 | max | first | after VACUUM: p50 | p99 | max | first |\n")
				.append("|---|---|---|---|---|---|---|---|---|\n");
			for (String query : table) {
				this.report.append("| `").append(query).append("` | ").append(analyzed.figures(query)).append(" | ")
					.append(vacuumed.figures(query)).append(" |\n");
			}
			this.report.append('\n');
		}
		this.report.append("Sequential scans counted during the timed runs, after ANALYZE / after VACUUM: ")
			.append(analyzed.scans()).append(" / ").append(vacuumed.scans())
			.append(". Load average (1, 5, 15 min) of the machine before the runs after ANALYZE / before those after VACUUM /"
					+ " at the end: ").append(loadAverages)
			.append(".\n\nResults (after VACUUM):\n\n");
		vacuumed.results().forEach((query, result) -> this.report.append("- `").append(query).append("`: ")
			.append(abbreviated(result)).append('\n'));
		this.report.append('\n');
	}

	private String header(String started) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("Run started ").append(started).append(". Command: `")
			.append(Bench.str("command", "scripts/dashboard-benchmark.sh")).append("`\n\n")
			.append("Milliseconds per call, through the starter's beans (JDBC round trip included); ")
			.append(this.runs).append(" timed calls per query after ").append(this.warmup)
			.append(" untimed, queries interleaved; \"first\" is the first call after the load.\n\n```\n")
			.append("nproc: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
		this.postgres.settings().forEach((name, value) -> md.append("postgres ").append(name).append(": ")
			.append(value).append('\n'));
		return md.append("```\n\n").toString();
	}

	private static String abbreviated(Object result) {
		String text = String.valueOf(result);
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	static void log(String message) {
		System.out.println("[dashboard " + LocalDateTime.now().format(TIME) + "] "
				+ message);
	}

	/**
	 * The timings of one pass over the queries.
	 */
	private record Phase(Map<String, long[]> samples, Map<String, Long> first, Map<String, Object> results,
			Map<String, Long> scans) {

		String figures(String query) {
			long[] sorted = this.samples.get(query).clone();
			Arrays.sort(sorted);
			return millis(percentile(sorted, 0.50)) + " | " + millis(percentile(sorted, 0.99)) + " | "
					+ millis(sorted[sorted.length - 1]) + " | " + millis(this.first.get(query));
		}

		String summary() {
			StringBuilder summary = new StringBuilder();
			this.samples.keySet().forEach((query) -> summary.append(query).append(" ").append(figures(query))
				.append("; "));
			return summary.append("sequential scans ").append(this.scans).toString();
		}

		/** Nearest rank. */
		private static long percentile(long[] sorted, double quantile) {
			return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
		}

		private static String millis(long nanos) {
			double millis = nanos / 1e6;
			return String.format(Locale.ROOT, (millis >= 100) ? "%.0f" : (millis >= 10) ? "%.1f" : "%.2f", millis);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
