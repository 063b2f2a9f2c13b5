package dev.backgroundtasks.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every repetition of every figure, per target; medians and spreads for the report.
 */
final class Results {

	enum Target {

		CEILING("Ceiling (plain JDBC)", "CeilingBenchmark"), OURS("Ours ({database})", "OursBenchmark"),
		OURS_H2("Ours (embedded H2)", "OursBenchmark"), DB_SCHEDULER("db-scheduler 16.12.0", "DbSchedulerBenchmark"),
		JOBRUNR("JobRunr 8.7.0", "JobRunrBenchmark");

		private final String title;

		final String mainClass;

		Target(String title, String mainClass) {
			this.title = title;
			this.mainClass = mainClass;
		}

		/**
		 * @param database the server's database, which the title of ours names
		 * @return the column title of the report
		 */
		String title(BenchDatabase database) {
			return this.title.replace("{database}", database.title);
		}

	}

	enum Figure {

		DRAIN("Drain, queued no-op tasks (tasks/s)", true),
		DRAIN_WARM("Drain after {drainWarmupRows} warm-up tasks in the same JVM (tasks/s)", true),
		DRAIN_ONE_ROW("Drain, 1 row per statement (rows/s)", true),
		DRAIN_INSERT("Drain, tasks that each INSERT a row through JdbcTemplate, 8 threads (tasks/s)", true),
		COMMITS("Database commits per task (drain)", false),
		COMMITS_INSERT("Database commits per task (inserting tasks; the task's own INSERT is one)", false), SUBMIT_SINGLE("Submit, single, 4 threads (tasks/s)", true),
		SUBMIT_BATCH("Submit, batch (tasks/s)", true), SAME_P50("Pickup, same node, p50 (ms)", false),
		SAME_P99("Pickup, same node, p99 (ms)", false), SAME_MAX("Pickup, same node, max (ms)", false),
		OTHER_P50("Pickup, other node, p50 (ms)", false), OTHER_P99("Pickup, other node, p99 (ms)", false),
		OTHER_MAX("Pickup, other node, max (ms)", false),
		HEAP_START("Heap after GC with {heapRows} queued rows (MB): start / end / max", false),
		HEAP_END("Heap after GC at the end (MB)", false, false), HEAP_MAX("Heap after GC, max (MB)", false, false),
		HEAP_SLOPE("Heap after GC, change per 100,000 rows run (MB)", false),
		HEAP_DRAINED("Heap run: rows run in s", false), HEAP_SECONDS("Heap run: seconds", false, false);

		final String title;

		/** Throughputs get a ratio to the ceiling's claim-100 drain. */
		final boolean throughput;

		/** Whether the figure has a row of its own; the others are shown in the row of a related figure. */
		final boolean ownRow;

		Figure(String title, boolean throughput) {
			this(title, throughput, true);
		}

		Figure(String title, boolean throughput, boolean ownRow) {
			this.title = title;
			this.throughput = throughput;
			this.ownRow = ownRow;
		}

		/**
		 * @return the ceiling's figure a throughput is compared with: the same work where the ceiling does it
		 * (warm drain, submits, inserting tasks), otherwise the claim-100 drain
		 */
		Figure ceiling() {
			return switch (this) {
				case DRAIN_WARM, DRAIN_INSERT, SUBMIT_SINGLE, SUBMIT_BATCH -> this;
				default -> DRAIN;
			};
		}

	}

	private final Map<Figure, Map<Target, List<Double>>> values = new EnumMap<>(Figure.class);

	private final Map<Figure, Map<Target, String>> notes = new EnumMap<>(Figure.class);

	void add(Figure figure, Target target, double value) {
		this.values.computeIfAbsent(figure, (f) -> new EnumMap<>(Target.class))
			.computeIfAbsent(target, (t) -> new ArrayList<>())
			.add(value);
	}

	void note(Figure figure, Target target, String note) {
		this.notes.computeIfAbsent(figure, (f) -> new EnumMap<>(Target.class)).put(target, note);
	}

	Optional<String> note(Figure figure, Target target) {
		return Optional.ofNullable(this.notes.getOrDefault(figure, Map.of()).get(target));
	}

	List<Double> values(Figure figure, Target target) {
		return this.values.getOrDefault(figure, Map.of()).getOrDefault(target, List.of());
	}

	Optional<Double> median(Figure figure, Target target) {
		List<Double> sorted = new ArrayList<>(values(figure, target));
		if (sorted.isEmpty()) {
			return Optional.empty();
		}
		Collections.sort(sorted);
		int n = sorted.size();
		return Optional.of((n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
	}

	Map<String, Object> raw() {
		Map<String, Object> raw = new LinkedHashMap<>();
		this.values.forEach((figure, byTarget) -> byTarget.forEach((target, list) -> raw.put(figure + "/" + target, list)));
		return raw;
	}

}
