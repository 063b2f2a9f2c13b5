package dev.backgroundtasks.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts no-op jobs as they run and notes when the first one started: a drain is timed from the first
 * start to the moment the database shows every row finished, the same way for every target.
 */
final class DrainCounter {

	private static final AtomicLong done = new AtomicLong();

	private static volatile long firstStartNanos;

	private DrainCounter() {
	}

	private static final long warmup = Long.getLong("bench.drainWarmupRows", 0);

	static void ran() {
		long count = done.incrementAndGet();
		if (firstStartNanos == 0 && count > warmup) {
			synchronized (DrainCounter.class) {
				if (firstStartNanos == 0) {
					firstStartNanos = System.nanoTime();
				}
			}
		}
	}

	/**
	 * @return how many jobs run before the timed part starts ({@code -Dbench.drainWarmupRows}, default 0)
	 */
	static long warmup() {
		return warmup;
	}

	static long done() {
		return done.get();
	}

	static long firstStartNanos() {
		return firstStartNanos;
	}

}
