package dev.backgroundtasks.benchmarks;

import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Pickup latency at a fixed rate, open loop. The worker side records inside the job; with
 * {@code -Dbench.submitLocally=true} it also submits (same node), otherwise it says ready and waits for a
 * submitter in another JVM (other node).
 */
final class Pickups {

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
		if (Bench.flag("submitLocally")) {
			Bench.pace(rate(), count(), warmup(), submit);
		}
		else {
			Bench.ready();
		}
		PickupRecorder.await(Bench.integer("pickupSeconds", 20) + Bench.integer("pickupGraceSeconds", 60));
		// Let the last jobs' completions settle before the node stops.
		Bench.sleep(200);
		return PickupRecorder.figures();
	}

	static void submitter(LongConsumer submit) {
		Bench.pace(rate(), count(), warmup(), submit);
		Bench.result(Map.of("submitted", count()));
	}

}
