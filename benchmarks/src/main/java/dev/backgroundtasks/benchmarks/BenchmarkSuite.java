package dev.backgroundtasks.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import dev.backgroundtasks.benchmarks.Results.Figure;
import dev.backgroundtasks.benchmarks.Results.Target;

/**
 * The one command of issue #4: every target and scenario against the local PostgreSQL, each scenario in a
 * fresh database and in fresh JVMs, repeated, then {@code benchmarks/RESULTS.md}. With
 * {@code -Dbench.database=mariadb} the same against the local MariaDB (issue #18: ceiling, ours and
 * db-scheduler; report in {@code benchmarks/target/RESULTS-mariadb.md}). Settings are system properties (see
 * {@code scripts/benchmark.sh} and the README); repetitions are interleaved across targets so a slow minute
 * of the machine does not land on one target only.
 */
public final class BenchmarkSuite {

	private final DatabaseServer server = DatabaseServer.fromSettings();

	private final boolean mariaDb = this.server.kind() == BenchDatabase.MARIADB;

	private final Results results = new Results();

	private final Path logs = Path.of(Bench.str("logDir", "benchmarks/target/bench-logs"));

	private final int rows = Bench.integer("rows", 100_000);

	private final List<String> scenarios = Bench.list("scenarios", this.mariaDb ? "drain,submit,pickup" : "drain,submit,insert,pickup,heap");

	private final List<String> heapTargets = Bench.list("heapTargets", "ours");

	private int sequence;

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		new BenchmarkSuite().run();
	}

	private void run() throws Exception {
		String everyTarget = this.mariaDb ? "ceiling,ours,db_scheduler" : "ceiling,ours,ours_h2,db_scheduler,jobrunr";
		List<Target> targets = Arrays.stream(Bench.str("targets", everyTarget).split(","))
			.map((name) -> Target.valueOf(name.trim().toUpperCase(Locale.ROOT)))
			.toList();
		int repetitions = Bench.integer("repetitions", 3);
		this.server.dropLeftovers();
		if (System.getProperty("bench.maxLoad") != null) {
			MachineLoad.awaitQuiet(BenchmarkSuite::log);
		}
		LocalDateTime started = LocalDateTime.now();
		long start = System.nanoTime();
		List<String> loads = new ArrayList<>();
		for (int rep = 1; rep <= repetitions; rep++) {
			loads.add(MachineLoad.averages());
			log("load average " + loads.get(loads.size() - 1));
			for (Target target : targets) {
				log("repetition " + rep + "/" + repetitions + ": " + target.title(this.server.kind()));
				runTarget(target, rep);
			}
		}
		loads.add(MachineLoad.averages());
		long minutes = Math.round((System.nanoTime() - start) / 60e9);
		Path output = Path.of(Bench.str("output", this.mariaDb ? "benchmarks/target/RESULTS-mariadb.md" : "benchmarks/RESULTS.md"));
		new ResultsReport(this.results, targets, this.server.kind(), this.server.settings(),
				new ResultsReport.Run(started, minutes, repetitions, loads)).write(output);
		log("wrote " + output + " after " + minutes + " min; raw " + this.results.raw());
	}

	private void runTarget(Target target, int rep) throws Exception {
		boolean drain = this.scenarios.contains("drain");
		// The ceiling's submits and inserting tasks are written for PostgreSQL (issue #19).
		boolean submit = this.scenarios.contains("submit") && target != Target.OURS_H2
				&& !(target == Target.CEILING && this.mariaDb);
		boolean insert = this.scenarios.contains("insert") && !this.mariaDb && target != Target.OURS_H2
				&& target != Target.JOBRUNR;
		boolean pickup = this.scenarios.contains("pickup") && target != Target.CEILING;
		String warmed = Integer.toString(this.rows + drainWarmupRows());
		String warmup = Integer.toString(drainWarmupRows());
		if (drain && target == Target.CEILING) {
			String threads = Integer.toString(ceilingThreads());
			drain(target, Figure.DRAIN, Map.of("bench.rows", Integer.toString(this.rows), "bench.batch", "100",
					"bench.threads", threads));
			drain(target, Figure.DRAIN_WARM, Map.of("bench.rows", warmed, "bench.drainWarmupRows", warmup, "bench.batch", "100",
					"bench.threads", threads));
			drain(target, Figure.DRAIN_ONE_ROW, Map.of("bench.rows", Bench.str("oneRowRows", "20000"), "bench.batch", "1",
					"bench.threads", threads));
		}
		else if (drain) {
			drain(target, Figure.DRAIN, Map.of("bench.rows", Integer.toString(this.rows)));
			drain(target, Figure.DRAIN_WARM, Map.of("bench.rows", warmed, "bench.drainWarmupRows", warmup));
		}
		if (submit) {
			submit(target, "submit-single", Figure.SUBMIT_SINGLE, "singleRate");
			submit(target, "submit-batch", Figure.SUBMIT_BATCH, "batchRate");
		}
		if (insert) {
			drainInserting(target);
		}
		if (pickup) {
			pickup(target, true);
			if (target != Target.OURS_H2) {
				pickup(target, false);
			}
		}
		// A million-row queue takes minutes per target: by default one run, for ours only.
		if (this.scenarios.contains("heap") && target != Target.CEILING && rep <= Bench.integer("heapRepetitions", 1)
				&& this.heapTargets.contains(target.name().toLowerCase(Locale.ROOT))) {
			heap(target);
		}
	}

	/** Load in one JVM, drain in another; commits are read in between and after, with no client connected. */
	private void drain(Target target, Figure figure, Map<String, String> settings) throws Exception {
		try (Database database = database(target, figure.name())) {
			Map<String, String> properties = database.properties(settings);
			child(target, "load", properties, database.name + "-load").awaitResult(timeout());
			OptionalLong before = database.commits();
			Map<String, String> result = child(target, "drain", properties, database.name + "-drain").awaitResult(timeout());
			double drained = Double.parseDouble(result.get("drained"));
			this.results.add(figure, target, Double.parseDouble(result.get("drainRate")));
			if (!result.getOrDefault("failed", "0").equals("0")) {
				log("WARNING: " + result.get("failed") + " executions did not succeed in " + database.name);
			}
			if (before.isPresent() && figure == Figure.DRAIN) {
				this.results.add(Figure.COMMITS, target, (database.commits().orElseThrow() - before.getAsLong()) / drained);
			}
			log("  " + figure + " " + result);
		}
	}

	/**
	 * Load {@code -Dbench.heapRows} rows in one JVM, then drain them in another for at most
	 * {@code -Dbench.heapSeconds}, taking the heap after a full GC as it goes (see {@link HeapDrain}).
	 */
	private void heap(Target target) throws Exception {
		try (Database database = database(target, "heap")) {
			Map<String, String> properties = database.properties(Map.of("bench.rows", Integer.toString(heapRows())));
			child(target, "load", properties, database.name + "-load").awaitResult(timeout());
			Map<String, String> result = child(target, "heap", properties, database.name + "-drain").awaitResult(timeout());
			log("  heap " + result);
			if (result.containsKey("heapReason")) {
				this.results.note(Figure.HEAP_START, target, "n/a: " + result.get("heapReason"));
				return;
			}
			this.results.add(Figure.HEAP_START, target, Double.parseDouble(result.get("heapStartMb")));
			this.results.add(Figure.HEAP_END, target, Double.parseDouble(result.get("heapEndMb")));
			this.results.add(Figure.HEAP_MAX, target, Double.parseDouble(result.get("heapMaxMb")));
			this.results.add(Figure.HEAP_SLOPE, target, Double.parseDouble(result.get("heapSlopeMbPer100k")));
			this.results.add(Figure.HEAP_DRAINED, target, Double.parseDouble(result.get("drained")));
			this.results.add(Figure.HEAP_SECONDS, target, Double.parseDouble(result.get("drainSeconds")));
		}
	}

	/**
	 * @return how many tasks the warm drain runs, untimed, before its timed {@code bench.rows}
	 */
	static int drainWarmupRows() {
		return Bench.integer("warmDrainWarmupRows", 50_000);
	}

	/**
	 * @return the ceiling's threads, each claiming on a connection of its own: 8 on PostgreSQL; 4 on MariaDB,
	 * where 8 claimers drained at 55-60 % of the rate of 2 or 4 (see RESULTS.md, issue #18)
	 */
	static int ceilingThreads() {
		return Bench.integer("ceilingThreads", (DatabaseServer.fromSettings().kind() == BenchDatabase.MARIADB) ? 4 : 8);
	}

	static int heapRows() {
		return Bench.integer("heapRows", 1_000_000);
	}

	/**
	 * @return how many tasks that INSERT a row the realistic drain runs ({@code -Dbench.insertRows})
	 */
	static int insertRows() {
		return Bench.integer("insertRows", Bench.integer("rows", 100_000));
	}

	/**
	 * The realistic drain (issue #19): queued tasks that each INSERT a row through the application's
	 * JdbcTemplate, loaded in one JVM and drained in another; the ceiling does those INSERTs from 8 threads
	 * through a pool in one JVM.
	 */
	private void drainInserting(Target target) throws Exception {
		try (Database database = database(target, "drain_insert")) {
			Map<String, String> properties = database
				.properties(Map.of("bench.rows", Integer.toString(insertRows()), "bench.task", "insert"));
			if (target != Target.CEILING) {
				child(target, "load", properties, database.name + "-load").awaitResult(timeout());
			}
			OptionalLong before = database.commits();
			Map<String, String> result = child(target, (target == Target.CEILING) ? "drain-insert" : "drain", properties,
					database.name + "-drain").awaitResult(timeout());
			this.results.add(Figure.DRAIN_INSERT, target, Double.parseDouble(result.get("drainRate")));
			if (before.isPresent()) {
				// Everything the draining JVM committed, start-up and the ceiling's untimed warm-up included.
				this.results.add(Figure.COMMITS_INSERT, target,
						(database.commits().orElseThrow() - before.getAsLong()) / (double) insertRows());
			}
			long inserted = Long.parseLong(result.getOrDefault("inserted", "-1"));
			if (inserted != insertRows()) {
				log("WARNING: " + inserted + " rows in bench_event after " + insertRows() + " tasks in " + database.name);
			}
			if (!result.getOrDefault("failed", "0").equals("0")) {
				log("WARNING: " + result.get("failed") + " executions did not succeed in " + database.name);
			}
			log("  " + Figure.DRAIN_INSERT + " " + result);
		}
	}

	private void submit(Target target, String scenario, Figure figure, String key) throws Exception {
		try (Database database = database(target, scenario)) {
			if (target == Target.CEILING) {
				// The ceiling writes into the table the starter's migrations create, with the same indexes.
				child(Target.OURS, "schema", database.properties(Map.of()), database.name + "-schema").awaitResult(timeout());
			}
			Map<String, String> result = child(target, scenario, database.properties(Map.of()), database.name)
				.awaitResult(timeout());
			String value = result.get(key);
			if ("n/a".equals(value)) {
				this.results.note(figure, target, "n/a: " + result.getOrDefault("reason", "not supported"));
			}
			else {
				this.results.add(figure, target, Double.parseDouble(value));
			}
			log("  " + figure + " " + result);
		}
	}

	/**
	 * Same node: one JVM runs the worker and submits. Other node: a worker JVM, and once it is ready a second
	 * JVM that only submits (ours: worker disabled; db-scheduler: a SchedulerClient; JobRunr: no job server).
	 */
	private void pickup(Target target, boolean sameNode) throws Exception {
		String kind = sameNode ? "same" : "other";
		try (Database database = database(target, "pickup_" + kind)) {
			Map<String, String> properties = database.properties(Map.of("bench.submitLocally", Boolean.toString(sameNode)));
			ChildJvm worker = child(target, "pickup-worker", properties, database.name + "-worker");
			try {
				if (!sameNode) {
					worker.awaitReady(300);
					Map<String, String> submitted = child(target, "pickup-submit", properties, database.name + "-submitter")
						.awaitResult(timeout());
					warnOfRetries(database, submitted);
					log("  pickup other, submitter " + submitted);
				}
				Map<String, String> result = worker.awaitResult(timeout());
				warnOfRetries(database, result);
				if (!"0".equals(result.get("pickupMissing"))) {
					log("WARNING: " + result.get("pickupMissing") + " pickups never ran in " + database.name);
				}
				this.results.add(sameNode ? Figure.SAME_P50 : Figure.OTHER_P50, target, Double.parseDouble(result.get("pickupP50Ms")));
				this.results.add(sameNode ? Figure.SAME_P99 : Figure.OTHER_P99, target, Double.parseDouble(result.get("pickupP99Ms")));
				this.results.add(sameNode ? Figure.SAME_MAX : Figure.OTHER_MAX, target, Double.parseDouble(result.get("pickupMaxMs")));
				log("  pickup " + kind + " " + result);
			}
			finally {
				worker.stop();
			}
		}
	}

	private static void warnOfRetries(Database database, Map<String, String> result) {
		if (!"0".equals(result.getOrDefault("submitRetries", "0"))) {
			log("WARNING: " + result.get("submitRetries") + " submissions were rolled back as deadlock victims and sent again in "
					+ database.name);
		}
	}

	private ChildJvm child(Target target, String scenario, Map<String, String> properties, String name) throws Exception {
		return ChildJvm.start(target.mainClass, scenario, properties, this.logs, name);
	}

	private static long timeout() {
		return Bench.integer("scenarioTimeoutSeconds", 1800);
	}

	private Database database(Target target, String scenario) throws Exception {
		String name = (databasePrefix() + target.name() + "_" + scenario + "_" + (++this.sequence)).toLowerCase(Locale.ROOT)
			.replaceAll("[^a-z0-9_]", "_");
		return new Database(name, target != Target.OURS_H2);
	}

	/**
	 * @return the start of the name of every database the suite creates, and drops as leftovers when it
	 * starts ({@code -Dbench.databasePrefix}, default {@code bgt_bench_}): runs side by side on one server
	 * each give their own
	 */
	static String databasePrefix() {
		String prefix = Bench.str("databasePrefix", "bgt_bench_");
		if (!prefix.matches("[a-z][a-z0-9_]{0,30}_")) {
			throw new IllegalArgumentException("-Dbench.databasePrefix must be lower-case letters, digits and '_', ending in"
					+ " '_', at most 32 characters; got '" + prefix + "'");
		}
		return prefix;
	}

	private static void log(String message) {
		System.out.println("[bench " + LocalDateTime.now().withNano(0) + "] " + message);
	}

	/** A fresh database on the server, or a fresh embedded H2 file for ours on H2; gone when closed. */
	private final class Database implements AutoCloseable {

		final String name;

		private final boolean onServer;

		private final Path h2Dir;

		Database(String name, boolean onServer) throws Exception {
			this.name = name;
			this.onServer = onServer;
			this.h2Dir = BenchmarkSuite.this.logs.resolveSibling("h2").resolve(name).toAbsolutePath();
			if (onServer) {
				BenchmarkSuite.this.server.create(name);
			}
			else {
				Files.createDirectories(this.h2Dir);
			}
		}

		Map<String, String> properties(Map<String, String> settings) {
			Map<String, String> properties = new HashMap<>(settings);
			properties.put("bench.jdbcUrl", this.onServer ? BenchmarkSuite.this.server.url(this.name)
					: "jdbc:h2:file:" + this.h2Dir.resolve("bench"));
			if (!this.onServer) {
				properties.put("bench.user", BenchDatabase.H2.defaultUser);
			}
			return properties;
		}

		/**
		 * @return the commits of this database so far, where the server counts them per database
		 */
		OptionalLong commits() throws Exception {
			return this.onServer ? BenchmarkSuite.this.server.commits(this.name) : OptionalLong.empty();
		}

		@Override
		public void close() throws Exception {
			if (this.onServer) {
				BenchmarkSuite.this.server.drop(this.name);
			}
			else if (Files.exists(this.h2Dir)) {
				try (Stream<Path> files = Files.walk(this.h2Dir)) {
					files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
				}
			}
		}

	}

}
