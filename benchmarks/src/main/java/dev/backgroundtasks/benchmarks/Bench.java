package dev.backgroundtasks.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * What every child JVM shares: its settings (system properties {@code bench.*}), the line protocol with the
 * suite ({@code BENCH-READY}, {@code BENCH-RESULT k=v ...}) and the open-loop pacer.
 */
final class Bench {

	static final String READY = "BENCH-READY";

	static final String RESULT = "BENCH-RESULT";

	private Bench() {
	}

	static String scenario(String[] args) {
		if (args.length != 1) {
			throw new IllegalArgumentException("usage: <main class> load|drain|drain-insert|heap|schema|submit-single|submit-batch|pickup-worker|pickup-submit");
		}
		return args[0];
	}

	static String str(String name, String fallback) {
		return System.getProperty("bench." + name, fallback);
	}

	static String required(String name) {
		String value = System.getProperty("bench." + name);
		if (value == null) {
			throw new IllegalArgumentException("missing -Dbench." + name);
		}
		return value;
	}

	static int integer(String name, int fallback) {
		return Integer.parseInt(str(name, Integer.toString(fallback)));
	}

	/** A comma-separated setting, trimmed and lower-cased. */
	static List<String> list(String name, String fallback) {
		return Arrays.stream(str(name, fallback).split(","))
			.map((item) -> item.trim().toLowerCase(Locale.ROOT))
			.filter((item) -> !item.isEmpty())
			.toList();
	}

	static boolean flag(String name) {
		return Boolean.parseBoolean(str(name, "false"));
	}

	static String jdbcUrl() {
		return required("jdbcUrl");
	}

	/** Wall-clock microseconds: comparable across JVMs on one machine (Java 17 reads it with µs precision). */
	static long nowMicros() {
		Instant now = Instant.now();
		return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1_000;
	}

	static void ready() {
		System.out.println(READY);
		System.out.flush();
	}

	static void result(Map<String, ?> figures) {
		StringBuilder line = new StringBuilder(RESULT);
		figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
		System.out.println(line);
		System.out.flush();
	}

	static Map<String, Object> figures() {
		return new LinkedHashMap<>();
	}

	/**
	 * Submits at a fixed rate, open loop: each submission is due at {@code start + i / rate} whatever the
	 * previous ones took. First a burst of {@code bench.pickupWarmupBurst} submissions (default 5,000) as
	 * fast as they go, then (in the worker's JVM) a wait until they all ran, at most
	 * {@code bench.pickupWarmupPauseSeconds} (default 20; a submitting JVM waits that long),
	 * so that every target runs JIT-compiled code as a server that has been up for a while does; then
	 * the first {@code warmup} paced stamps. Warm-up stamps are negative: the receiving job ignores them.
	 * @param rate submissions per second
	 * @param count how many are recorded
	 * @param warmup how many come first and are not recorded
	 * @param submit receives the stamp (wall-clock µs just before the submit call, negated for warm-up)
	 * @return how fast the burst was submitted, per second (0 without a burst)
	 */
	static long pace(int rate, int count, int warmup, LongConsumer submit) {
		// A server that has been up for a while runs JIT-compiled code: a burst first (not recorded), as
		// fast as submissions go, then a pause for it to drain, then the paced warm-up and the measured part.
		int burst = warmupBurst();
		long burstStart = System.nanoTime();
		for (int i = 0; i < burst; i++) {
			submit.accept(-nowMicros());
		}
		long burstRate = (burst > 0) ? Math.round(burst / ((System.nanoTime() - burstStart) / 1e9)) : 0;
		if (burst > 0) {
			// The worker's JVM waits until it ran them all; a submitting JVM cannot see that and pauses.
			PickupRecorder.awaitWarmups(burst, integer("pickupWarmupPauseSeconds", 20));
			sleep(1_000);
		}
		long period = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		for (int i = 0; i < warmup + count; i++) {
			long due = start + i * period;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			long stamp = nowMicros();
			submit.accept((i < warmup) ? -stamp : stamp);
		}
		return burstRate;
	}

	static int warmupBurst() {
		return integer("pickupWarmupBurst", 5_000);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return a local TCP port that is free now
	 */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
