package dev.backgroundtasks.benchmarks;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.backgroundtasks.benchmarks.Results.Figure;
import dev.backgroundtasks.benchmarks.Results.Target;

/**
 * The report's table of the issue's targets for ours, with the medians measured and whether each is met:
 * issue #4's and #19's on PostgreSQL, issue #18's on MariaDB.
 */
final class TargetsTable {

	private final Results results;

	private final StringBuilder md;

	TargetsTable(Results results, StringBuilder md) {
		this.results = results;
		this.md = md;
	}

	void write(BenchDatabase database) {
		if (database == BenchDatabase.MARIADB) {
			issue18();
		}
		else {
			issue4();
			issue19();
		}
		this.md.append('\n');
	}

	/** Issue #19's submit and realistic-drain targets: ratios to db-scheduler and to the same run's ceilings. */
	private void issue19() {
		if (!measured(Figure.SUBMIT_SINGLE) && !measured(Figure.DRAIN_INSERT)) {
			return;
		}
		this.md.append("\nTargets of issue #19 for ours on PostgreSQL (medians above):\n\n");
		header();
		versus("Single submit ≥ 1.3× db-scheduler", Figure.SUBMIT_SINGLE, Target.DB_SCHEDULER, 1.3);
		versus("Single submit ≥ 75 % of a plain-JDBC insert-and-commit (4 threads)", Figure.SUBMIT_SINGLE, Target.CEILING,
				0.75);
		versus("Batch submit ≥ 2.5× db-scheduler's batch API", Figure.SUBMIT_BATCH, Target.DB_SCHEDULER, 2.5);
		versus("Batch submit ≥ 70 % of a plain-JDBC batch insert", Figure.SUBMIT_BATCH, Target.CEILING, 0.7);
		versus("Inserting tasks ≥ 80 % of 8 threads inserting through the same pool", Figure.DRAIN_INSERT, Target.CEILING,
				0.8);
		versus("Inserting tasks ≥ 2× db-scheduler", Figure.DRAIN_INSERT, Target.DB_SCHEDULER, 2);
	}

	private boolean measured(Figure figure) {
		return this.results.median(figure, Target.OURS).isPresent();
	}

	/** A row for ours divided by another target's figure, met at {@code atLeast} or above. */
	private void versus(String target, Figure figure, Target other, double atLeast) {
		Optional<Double> ratio = ratio(this.results.median(figure, Target.OURS), this.results.median(figure, other));
		boolean percent = other == Target.CEILING;
		row(target, ratio.map((r) -> percent ? String.format(Locale.ROOT, "%.0f %%", r * 100)
				: String.format(Locale.ROOT, "%.2f×", r)), ratio.map((r) -> r >= atLeast));
	}

	private void issue4() {
		this.md.append("Targets of issue #4 for ours on PostgreSQL (medians above):\n\n");
		header();
		both("Drain ≥ 10,000 tasks/s", this.results.median(Figure.DRAIN, Target.OURS),
				this.results.median(Figure.DRAIN_WARM, Target.OURS), ResultsReport::number, (d) -> d >= 10_000);
		drainRatios("the best peer", this::bestPeer);
		atMost("Pickup same node p50 ≤ 1.5 ms", Figure.SAME_P50, 1.5);
		atMost("Pickup same node p99 ≤ 10 ms", Figure.SAME_P99, 10);
		atMost("Pickup other node p50 ≤ 5 ms", Figure.OTHER_P50, 5);
		atMost("Pickup other node p99 ≤ 25 ms", Figure.OTHER_P99, 25);
		Optional<Double> single = this.results.median(Figure.SUBMIT_SINGLE, Target.OURS);
		row("Single submit ≥ 3,000/s (4 threads)", single.map(ResultsReport::number), single.map((s) -> s >= 3_000));
		Optional<Double> batch = this.results.median(Figure.SUBMIT_BATCH, Target.OURS);
		row("Batch submit ≥ 50,000/s",
				batch.map(ResultsReport::number).or(() -> this.results.note(Figure.SUBMIT_BATCH, Target.OURS)),
				batch.map((b) -> b >= 50_000));
		heapFlat();
	}

	/** Issue #18: on MariaDB, against the ceiling and db-scheduler of the same run. */
	private void issue18() {
		this.md.append("Targets of issue #18 for ours on MariaDB (medians above):\n\n");
		header();
		drainRatios("db-scheduler", (figure) -> this.results.median(figure, Target.DB_SCHEDULER));
		atMost("Pickup other node p50 ≤ 100 ms", Figure.OTHER_P50, 100);
		atMost("Pickup other node p99 ≤ 500 ms", Figure.OTHER_P99, 500);
	}

	private void header() {
		this.md.append("| Target | Measured | Met |\n|---|---|---|\n");
	}

	/** Ours against the claim-100 ceiling (at least half) and a peer (at least three times), cold and warm. */
	private void drainRatios(String peerName, Function<Figure, Optional<Double>> peer) {
		Optional<Double> drain = this.results.median(Figure.DRAIN, Target.OURS);
		Optional<Double> warm = this.results.median(Figure.DRAIN_WARM, Target.OURS);
		both("Drain ≥ 50 % of the claim-100 ceiling", ratio(drain, this.results.median(Figure.DRAIN, Target.CEILING)),
				ratio(warm, this.results.median(Figure.DRAIN_WARM, Target.CEILING)),
				(r) -> String.format(Locale.ROOT, "%.0f %%", r * 100), (r) -> r >= 0.5);
		both("Drain ≥ 3× " + peerName, ratio(drain, peer.apply(Figure.DRAIN)), ratio(warm, peer.apply(Figure.DRAIN_WARM)),
				(r) -> String.format(Locale.ROOT, "%.2f×", r), (r) -> r >= 3);
	}

	/**
	 * Flat: the heap after GC changes by at most 1 MB per 100,000 rows run (about 10 bytes a row, less than
	 * any object kept per row) and never exceeds its first sample by more than 10 MB.
	 */
	private void heapFlat() {
		Optional<Double> start = this.results.median(Figure.HEAP_START, Target.OURS);
		Optional<Double> max = this.results.median(Figure.HEAP_MAX, Target.OURS);
		Optional<Double> slope = this.results.median(Figure.HEAP_SLOPE, Target.OURS);
		Optional<String> measured = slope.map((s) -> median(Figure.HEAP_START) + " / " + median(Figure.HEAP_END) + " / "
				+ median(Figure.HEAP_MAX) + String.format(Locale.ROOT, " MB (start / end / max), %+.2f MB per 100,000 rows, ", s)
				+ median(Figure.HEAP_DRAINED) + " rows run");
		Optional<Boolean> met = slope.flatMap((s) -> start.flatMap((b) -> max.map((m) -> Math.abs(s) <= 1 && m - b <= 10)));
		row("Heap flat with " + ResultsReport.heapRows() + " queued rows",
				measured.or(() -> this.results.note(Figure.HEAP_START, Target.OURS)), met);
	}

	private Optional<Double> bestPeer(Figure figure) {
		return this.results.median(figure, Target.DB_SCHEDULER)
			.map((d) -> Math.max(d, this.results.median(figure, Target.JOBRUNR).orElse(0.0)))
			.or(() -> this.results.median(figure, Target.JOBRUNR));
	}

	private static Optional<Double> ratio(Optional<Double> value, Optional<Double> to) {
		return value.flatMap((v) -> to.map((t) -> v / t));
	}

	/** One row for a drain target: cold JVM, and after warm-up; met is said for each. */
	private void both(String target, Optional<Double> cold, Optional<Double> warm, Function<Double, String> format,
			Predicate<Double> met) {
		String measured = cold.map(format).orElse("—") + " cold; " + warm.map(format).orElse("—") + " after warm-up";
		String verdict = cold.map((c) -> met.test(c) ? "yes" : "**no**").orElse("—") + " cold; "
				+ warm.map((w) -> met.test(w) ? "yes" : "**no**").orElse("—") + " after warm-up";
		this.md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(verdict).append(" |\n");
	}

	private String median(Figure figure) {
		return this.results.median(figure, Target.OURS).map(ResultsReport::number).orElse("—");
	}

	private void atMost(String target, Figure figure, double limit) {
		Optional<Double> value = this.results.median(figure, Target.OURS);
		row(target, value.map((v) -> ResultsReport.number(v) + " ms"), value.map((v) -> v <= limit));
	}

	private void row(String target, Optional<String> measured, Optional<Boolean> met) {
		this.md.append("| ").append(target).append(" | ").append(measured.orElse("—")).append(" | ")
			.append(met.map((m) -> m ? "yes" : "**no**").orElse("—")).append(" |\n");
	}

}
