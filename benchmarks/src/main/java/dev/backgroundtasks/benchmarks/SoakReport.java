package dev.backgroundtasks.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The summary of a soak's time series: per figure its baseline (the mean over the
 * {@code span} seconds after the first {@code warmup} seconds), its minimum and maximum afterwards and the
 * largest deviation from the baseline, both of single 10 s windows and of means over consecutive spans, each
 * against ±10 %; then how the tables beside {@code bgt_execution} grew, and the claims in windows where
 * retention deleted rows beside those where it did not.
 */
final class SoakReport {

	/** The figures issue #19 holds to ±10 % (target 4) or flat (target 6, the heap). */
	static final Map<String, String> TARGETS = targets();

	private final List<Map<String, Double>> samples;

	private final double warmup;

	private final double span;

	SoakReport(List<Map<String, Double>> samples, double warmup, double span) {
		if (samples.isEmpty()) {
			throw new IllegalArgumentException("the soak wrote no sample");
		}
		this.samples = samples;
		this.warmup = warmup;
		this.span = span;
	}

	private static Map<String, String> targets() {
		Map<String, String> targets = new LinkedHashMap<>();
		targets.put("completed_per_s", "throughput, tasks run (per s)");
		targets.put("pickup_p99_ms", "pickup p99 (ms)");
		targets.put("execution_total_mb", "bgt_execution with its indexes (MB)");
		targets.put("heap_mb", "heap after a full GC (MB)");
		return targets;
	}

	/** Reads the CSV written by {@link SoakNode}: one map per line, column to value, NaN where empty. */
	static List<Map<String, Double>> read(Path csv) throws IOException {
		List<String> lines = Files.readAllLines(csv);
		if (lines.isEmpty()) {
			throw new IllegalArgumentException(csv + " is empty");
		}
		String[] columns = lines.get(0).split(",");
		List<Map<String, Double>> samples = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] values = line.split(",", -1);
			if (values.length != columns.length) {
				throw new IllegalArgumentException(csv + ": " + columns.length + " columns expected: " + line);
			}
			Map<String, Double> sample = new LinkedHashMap<>();
			for (int i = 0; i < columns.length; i++) {
				sample.put(columns[i], values[i].isEmpty() ? Double.NaN : Double.parseDouble(values[i]));
			}
			samples.add(sample);
		}
		return samples;
	}

	List<Map<String, Double>> samples() {
		return this.samples;
	}

	double warmup() {
		return this.warmup;
	}

	/**
	 * @return the baseline of a column: its mean over the span after the warm-up, or its first value after
	 * the warm-up when none falls in the span (the heap is not taken in every window)
	 */
	double baseline(String column) {
		double[] inSpan = values(column, (t) -> t > this.warmup && t <= this.warmup + this.span);
		if (inSpan.length > 0) {
			return Arrays.stream(inSpan).average().orElseThrow();
		}
		double[] after = values(column, (t) -> t > this.warmup);
		return (after.length > 0) ? after[0] : Double.NaN;
	}

	private double[] values(String column, Predicate<Double> at) {
		return this.samples.stream()
			.filter((sample) -> at.test(sample.get("seconds")))
			.mapToDouble((sample) -> sample.get(column))
			.filter((value) -> !Double.isNaN(value))
			.toArray();
	}

	/** Means of the column over consecutive spans after the warm-up (a last partial span included). */
	private double[] spanMeans(String column) {
		List<Double> means = new ArrayList<>();
		for (double from = this.warmup; from < last(); from += this.span) {
			double start = from;
			double[] values = values(column, (t) -> t > start && t <= start + this.span);
			if (values.length > 0) {
				means.add(Arrays.stream(values).average().orElseThrow());
			}
		}
		return means.stream().mapToDouble(Double::doubleValue).toArray();
	}

	private double last() {
		return this.samples.get(this.samples.size() - 1).get("seconds");
	}

	private static double deviation(double[] values, double baseline) {
		return Arrays.stream(values).map((value) -> Math.abs(value - baseline) / baseline * 100).max().orElse(Double.NaN);
	}

	String markdown(Map<String, String> figures, Map<String, String> settings) {
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT, "%d windows of %.0f s over %.0f s. Baseline: mean over %.0f–%.0f s;"
				+ " deviations of every later 10 s window and of every later %.0f s mean from it.%n%n", this.samples.size(),
				this.samples.get(0).get("seconds"), last(), this.warmup, this.warmup + this.span, this.span));
		md.append("| figure | baseline | min / max after the warm-up | largest deviation, windows | met ±10 % |"
				+ " largest deviation, ").append(format(this.span)).append(" s means | met ±10 % |\n|---|---|---|---|---|---|---|\n");
		TARGETS.forEach((column, name) -> row(md, column, name));
		for (String column : List.of("submitted_per_s", "pickup_p50_ms", "pickup_max_ms", "start_gap_max_ms",
				"claim_max_ms", "retention_batch_max_ms", "submit_lag_ms", "ready", "execution_rows", "execution_indexes_mb",
				"dead_tuples")) {
			row(md, column, column + " (not a target)");
		}
		md.append("\nTables beside `bgt_execution` (rows): first sample after the warm-up → last sample\n\n");
		for (String column : List.of("attempt_rows", "task_start_rows", "dependency_rows", "batch_rows",
				"stats_minute_rows")) {
			double[] after = values(column, (t) -> t > this.warmup);
			md.append("- ").append(column).append(": ")
				.append((after.length > 0) ? format(after[0]) + " → " + format(after[after.length - 1]) : "n/a")
				.append('\n');
		}
		md.append(retention());
		md.append("\nNode: ");
		figures.forEach((key, value) -> md.append(key).append('=').append(value).append(' '));
		md.append("\n\nPostgreSQL: ");
		settings.forEach((name, value) -> md.append(name).append('=').append(value).append("; "));
		return md.append('\n').toString();
	}

	private void row(StringBuilder md, String column, String name) {
		double baseline = baseline(column);
		double[] after = values(column, (t) -> t > this.warmup);
		if (after.length == 0 || Double.isNaN(baseline)) {
			md.append("| ").append(name).append(" | n/a | | | | | |\n");
			return;
		}
		double windows = deviation(after, baseline);
		double means = deviation(spanMeans(column), baseline);
		md.append("| ").append(name).append(" | ").append(format(baseline)).append(" | ")
			.append(format(Arrays.stream(after).min().orElseThrow())).append(" / ")
			.append(format(Arrays.stream(after).max().orElseThrow())).append(" | ")
			.append(format(windows)).append(" % | ").append(met(column, windows)).append(" | ")
			.append(format(means)).append(" % | ").append(met(column, means)).append(" |\n");
	}

	private static String met(String column, double deviation) {
		return !TARGETS.containsKey(column) ? "" : (deviation <= 10) ? "yes" : "**no**";
	}

	/** Claims in windows where retention deleted rows, beside those where it did not. */
	private String retention() {
		List<Map<String, Double>> deleting = new ArrayList<>();
		List<Map<String, Double>> quiet = new ArrayList<>();
		for (Map<String, Double> sample : this.samples) {
			if (sample.get("seconds") > this.warmup) {
				(sample.get("retention_batches") > 0 ? deleting : quiet).add(sample);
			}
		}
		StringBuilder md = new StringBuilder("\nRetention after the warm-up: ");
		md.append(deleting.size()).append(" windows ran retention batches (")
			.append(format(deleting.stream().mapToDouble((s) -> s.get("retention_deleted")).sum()))
			.append(" rows left the table in them), ").append(quiet.size()).append(" did not. A claim is one"
					+ " statement claiming up to a batch of executions, timed in the node around the store's call.\n\n")
			.append("| windows | pickup p99, largest (ms) | pickup max, largest (ms) | longest gap between task starts (ms)"
					+ " | longest claim (ms) | longest claim overlapping a retention batch (ms) | longest retention batch"
					+ " (ms) |\n")
			.append("|---|---|---|---|---|---|---|\n");
		List<Map.Entry<String, List<Map<String, Double>>>> groups = List.of(Map.entry("with retention batches", deleting),
				Map.entry("without", quiet));
		for (Map.Entry<String, List<Map<String, Double>>> group : groups) {
			md.append("| ").append(group.getKey()).append(" | ").append(largest(group.getValue(), "pickup_p99_ms"))
				.append(" | ").append(largest(group.getValue(), "pickup_max_ms")).append(" | ")
				.append(largest(group.getValue(), "start_gap_max_ms")).append(" | ")
				.append(largest(group.getValue(), "claim_max_ms")).append(" | ")
				.append(largest(group.getValue(), "claim_during_retention_max_ms")).append(" | ")
				.append(largest(group.getValue(), "retention_batch_max_ms")).append(" |\n");
		}
		return md.toString();
	}

	private static String largest(List<Map<String, Double>> samples, String column) {
		return samples.stream().mapToDouble((s) -> s.get(column)).max().stream().mapToObj(SoakReport::format)
			.findFirst().orElse("n/a");
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		if (Math.abs(value) >= 100 || value == Math.rint(value)) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
