package dev.backgroundtasks.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

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

	/** Held tasks wait here, uncounted, until it opens ({@link #holdUntil}); {@code null}: none held. */
	private static volatile @Nullable CountDownLatch gate;

	/**
	 * Makes every task wait before it counts, until the latch opens: the drain starts when the caller
	 * says, not when the worker does.
	 * @param latch opens the gate
	 */
	static void holdUntil(CountDownLatch latch) {
		gate = latch;
	}

	static void ran() {
		CountDownLatch held = gate;
		if (held != null) {
			awaitOpen(held);
		}
		long count = done.incrementAndGet();
		if (firstStartNanos == 0 && count > warmup) {
			synchronized (DrainCounter.class) {
				if (firstStartNanos == 0) {
					firstStartNanos = System.nanoTime();
				}
			}
		}
	}

	private static void awaitOpen(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
