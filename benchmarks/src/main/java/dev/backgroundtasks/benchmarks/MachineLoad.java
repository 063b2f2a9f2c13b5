package dev.backgroundtasks.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The machine's load averages, from {@code /proc/loadavg}: a shared machine's other work shows in timings,
 * so the harnesses wait for a quiet machine before they measure and report the load they measured under.
 */
final class MachineLoad {

	private MachineLoad() {
	}

	/**
	 * @return the 1, 5 and 15 minute load averages, comma-separated; {@code n/a} when unknown
	 */
	static String averages() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "n/a";
		}
	}

	/**
	 * Waits until the 1-minute load average is under {@code bench.maxLoad} (1.5), checking every 15 s, for
	 * at most {@code bench.maxLoadWaitSeconds} (1,800).
	 * @param log where to say that it waits
	 * @return the load averages when the wait ended
	 */
	static String awaitQuiet(Consumer<String> log) {
		double most = Double.parseDouble(Bench.str("maxLoad", "1.5"));
		long deadline = System.nanoTime() + Bench.integer("maxLoadWaitSeconds", 1_800) * 1_000_000_000L;
		String load = averages();
		while (oneMinute(load) >= most && System.nanoTime() < deadline) {
			log.accept("waiting for the load average (" + load + ") to fall under " + most);
			Bench.sleep(15_000);
			load = averages();
		}
		return load;
	}

	private static double oneMinute(String load) {
		try {
			return Double.parseDouble(load.split(",")[0]);
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

}
