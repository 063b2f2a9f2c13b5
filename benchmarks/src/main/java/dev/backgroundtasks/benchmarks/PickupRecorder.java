package dev.backgroundtasks.benchmarks;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records, inside a running job, how long ago it was submitted (start time minus submit time, both wall
 * clock in µs). Process-wide because the peers call jobs through static methods or their own instances.
 */
final class PickupRecorder {

	private static final Recorder recorder = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);

	private static volatile CountDownLatch remaining = new CountDownLatch(0);

	private static final AtomicLong warmups = new AtomicLong();

	private PickupRecorder() {
	}

	static void expect(int count) {
		remaining = new CountDownLatch(count);
	}

	/** Called first thing inside the job; negative stamps are warm-up submissions. */
	static void started(long stamp) {
		if (stamp < 0) {
			warmups.incrementAndGet();
			return;
		}
		recorder.recordValue(Math.max(0, Bench.nowMicros() - stamp));
		remaining.countDown();
	}

	/**
	 * Waits until this JVM ran the given number of warm-up jobs, or the time is up.
	 * @param count warm-up jobs expected
	 * @param seconds the most to wait
	 */
	static void awaitWarmups(long count, long seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (warmups.get() < count && System.nanoTime() < deadline) {
			Bench.sleep(50);
		}
	}

	static boolean await(long seconds) throws InterruptedException {
		return remaining.await(seconds, TimeUnit.SECONDS);
	}

	static Map<String, Object> figures() {
		Histogram histogram = recorder.getIntervalHistogram();
		Map<String, Object> figures = Bench.figures();
		figures.put("pickupCount", histogram.getTotalCount());
		figures.put("pickupP50Ms", ms(histogram.getValueAtPercentile(50)));
		figures.put("pickupP99Ms", ms(histogram.getValueAtPercentile(99)));
		figures.put("pickupMaxMs", ms(histogram.getMaxValue()));
		figures.put("pickupMissing", remaining.getCount());
		return figures;
	}

	private static String ms(long micros) {
		return String.format(java.util.Locale.ROOT, "%.3f", micros / 1000.0);
	}

}
