package dev.backgroundtasks.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * The heap scenario's worker side: drains a large queue (the same no-op tasks as the drain) for at most
 * {@code -Dbench.heapSeconds} from the first task's start, and every {@code -Dbench.heapSampleRows} rows run
 * in this JVM takes the heap after a full collection ({@link HeapAfterGc}), then once more at the end. Samples
 * taken before 10 % of the queue ran are start-up (class loading, caches filling) and only logged; the
 * figures are over the rest: the first ("start"), the last ("end"), the largest, and the least-squares slope
 * in MB per 100,000 rows run. A slope near zero means the heap depends on neither the rows run so far nor the
 * rows still queued (which fall as the others rise).
 */
final class HeapDrain {

	private static final int SLOPE_ROWS = 100_000;

	private HeapDrain() {
	}

	/**
	 * Samples until the queue is drained or time is up; call once the worker runs.
	 * @param rows how many rows were queued
	 * @param dataSource where to check the end of the drain
	 * @param finishedSql counts finished rows, or remaining rows when {@code finished} says so
	 * @param finished whether the count from {@code finishedSql} means the drain is over
	 * @return the figures for {@code BENCH-RESULT}; without the heap figures but with {@code heapReason} when
	 * fewer than three samples were taken after the first 10 %
	 */
	static Map<String, Object> measure(long rows, DataSource dataSource, String finishedSql, LongPredicate finished) {
		HeapAfterGc heap = new HeapAfterGc();
		long step = Math.max(1, Bench.integer("heapSampleRows", 20_000));
		long startupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
		while (DrainCounter.firstStartNanos() == 0) {
			if (System.nanoTime() > startupDeadline) {
				throw new IllegalStateException("no task started within 300 s");
			}
			Bench.sleep(5);
		}
		long deadline = DrainCounter.firstStartNanos() + TimeUnit.SECONDS.toNanos(Bench.integer("heapSeconds", 120));
		List<Sample> samples = new ArrayList<>();
		long next = step;
		while (DrainCounter.done() < rows && System.nanoTime() < deadline) {
			long done = DrainCounter.done();
			if (done >= next) {
				samples.add(new Sample(done, heap.collect()));
				next = (done / step + 1) * step;
			}
			Bench.sleep(10);
		}
		while (DrainCounter.done() >= rows && !finished.test(Jdbc.queryLong(dataSource, finishedSql))
				&& System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(60)) {
			Bench.sleep(10);
		}
		double seconds = (System.nanoTime() - DrainCounter.firstStartNanos()) / 1e9;
		long drained = DrainCounter.done();
		samples.add(new Sample(drained, heap.collect()));
		return figures(rows, drained, seconds, samples);
	}

	private static Map<String, Object> figures(long rows, long drained, double seconds, List<Sample> samples) {
		List<Sample> measured = samples.stream().filter((sample) -> sample.rows() * 10 >= rows).toList();
		Map<String, Object> figures = Bench.figures();
		figures.put("heapRows", rows);
		figures.put("drained", drained);
		figures.put("drainSeconds", format(seconds));
		figures.put("heapSamples", samples.stream().map(Sample::toString).collect(Collectors.joining(",")));
		if (measured.size() < 3) {
			figures.put("heapReason", "fewer-than-3-samples-after-10%-of-the-queue");
			return figures;
		}
		figures.put("heapStartRows", measured.get(0).rows());
		figures.put("heapStartMb", format(measured.get(0).mb()));
		figures.put("heapEndMb", format(measured.get(measured.size() - 1).mb()));
		figures.put("heapMaxMb", format(measured.stream().mapToDouble(Sample::mb).max().orElseThrow()));
		figures.put("heapSlopeMbPer100k", format(slope(measured) * SLOPE_ROWS));
		figures.put("heapSampleCount", measured.size());
		return figures;
	}

	/** Least-squares slope of MB over rows run. */
	private static double slope(List<Sample> samples) {
		double meanRows = samples.stream().mapToDouble(Sample::rows).average().orElseThrow();
		double meanMb = samples.stream().mapToDouble(Sample::mb).average().orElseThrow();
		double covariance = 0;
		double variance = 0;
		for (Sample sample : samples) {
			covariance += (sample.rows() - meanRows) * (sample.mb() - meanMb);
			variance += (sample.rows() - meanRows) * (sample.rows() - meanRows);
		}
		return (variance == 0) ? 0 : covariance / variance;
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.3f", value);
	}

	private record Sample(long rows, double mb) {

		@Override
		public String toString() {
			return this.rows + ":" + String.format(Locale.ROOT, "%.1f", this.mb);
		}

	}

}
