package dev.backgroundtasks.benchmarks;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Pickup latency at a fixed rate, open loop. The worker side records inside the job; with
 * {@code -Dbench.submitLocally=true} it also submits (same node), otherwise it says ready and waits for a
 * submitter in another JVM (other node).
 * <p>
 * A submission the database rolls back as a deadlock victim (SQL state 40001: InnoDB does that to an insert
 * caught between a claim's locks) is sent again, up to 10 times, with the stamp of its first try, so the
 * latency includes the retry; how many were retried is part of the result ({@code submitRetries}).
 */
final class Pickups {

	private static final AtomicLong retries = new AtomicLong();

	private Pickups() {
	}

	static int rate() {
		return Bench.integer("pickupRate", 20);
	}

	static int count() {
		return rate() * Bench.integer("pickupSeconds", 20);
	}

	static int warmup() {
		return rate() * Bench.integer("pickupWarmupSeconds", 2);
	}

	static Map<String, Object> worker(LongConsumer submit) throws InterruptedException {
		PickupRecorder.expect(count());
		long burstRate = 0;
		long wait = Bench.integer("pickupSeconds", 20) + Bench.integer("pickupGraceSeconds", 60);
		if (Bench.flag("submitLocally")) {
			burstRate = Bench.pace(rate(), count(), warmup(), retryingDeadlocks(submit));
		}
		else {
			Bench.ready();
			// The submitter's burst takes as long as the database lets it (on MariaDB its inserts wait for the
			// claims' locks): the recorded part starts after it, its pause and the paced warm-up.
			PickupRecorder.awaitWarmups(Bench.warmupBurst(), Bench.integer("pickupBurstTimeoutSeconds", 600));
			wait += Bench.integer("pickupWarmupPauseSeconds", 20) + Bench.integer("pickupWarmupSeconds", 2);
		}
		PickupRecorder.await(wait);
		// Let the last jobs' completions settle before the node stops.
		Bench.sleep(200);
		Map<String, Object> figures = PickupRecorder.figures();
		figures.put("submitRetries", retries.get());
		figures.put("burstRate", burstRate);
		return figures;
	}

	static void submitter(LongConsumer submit) {
		long burstRate = Bench.pace(rate(), count(), warmup(), retryingDeadlocks(submit));
		Bench.result(Map.of("submitted", count(), "submitRetries", retries.get(), "burstRate", burstRate));
	}

	private static LongConsumer retryingDeadlocks(LongConsumer submit) {
		return (stamp) -> {
			for (int attempt = 1;; attempt++) {
				try {
					submit.accept(stamp);
					return;
				}
				catch (RuntimeException ex) {
					if (attempt == 10 || !deadlock(ex)) {
						throw ex;
					}
					retries.incrementAndGet();
				}
			}
		};
	}

	private static boolean deadlock(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
