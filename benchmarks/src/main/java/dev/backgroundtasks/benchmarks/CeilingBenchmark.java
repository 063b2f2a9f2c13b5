package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceiling: plain JDBC, no framework. Threads, each on its own connection, claim a batch and complete
 * it, until nothing is left; the statements are the database's own ({@link CeilingSql}: on PostgreSQL one
 * {@code UPDATE ... RETURNING} per claim, on MariaDB a locking {@code SELECT} and an {@code UPDATE} in one
 * transaction). Scenarios: {@code load} (-Dbench.rows) and {@code drain} (-Dbench.batch, -Dbench.threads); on
 * PostgreSQL also the submits and the inserting tasks' ceilings of issue #19 ({@link CeilingWrites}).
 */
public final class CeilingBenchmark {

	private CeilingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		CeilingSql sql = CeilingSql.of(BenchDatabase.current());
		switch (scenario) {
			case "load" -> load(sql, Bench.integer("rows", 100_000));
			case "drain" -> Bench.result(drain(sql, Bench.integer("threads", 8), Bench.integer("batch", 100)));
			case "submit-single" -> Bench.result(CeilingWrites.submitSingle(Bench.integer("submitThreads", 4)));
			case "submit-batch" -> Bench.result(CeilingWrites.submitBatch());
			case "drain-insert" -> Bench.result(CeilingWrites.drainInsert(8, Bench.integer("rows", 100_000)));
			default -> throw new IllegalArgumentException("the ceiling has no scenario " + scenario);
		}
	}

	private static void load(CeilingSql sql, int rows) throws SQLException {
		try (Connection connection = Jdbc.connect(Bench.jdbcUrl())) {
			sql.load(connection, rows);
		}
		Bench.result(Map.of("loaded", rows));
	}

	private static Map<String, Object> drain(CeilingSql sql, int threads, int batch) throws Exception {
		AtomicLong completed = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Connection> connections = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			connections.add(Jdbc.connect(Bench.jdbcUrl()));
		}
		// With -Dbench.drainWarmupRows the clock starts once that many rows are done, as for the others.
		long warmup = Bench.integer("drainWarmupRows", 0);
		AtomicLong start = new AtomicLong((warmup == 0) ? System.nanoTime() : 0);
		List<Future<?>> loops = new ArrayList<>();
		for (Connection connection : connections) {
			loops.add(pool.submit(() -> loop(sql.claims(connection, "ceiling-" + UUID.randomUUID(), batch), completed,
					warmup, start)));
		}
		for (Future<?> loop : loops) {
			loop.get();
		}
		double seconds = (System.nanoTime() - start.get()) / 1e9;
		pool.shutdown();
		for (Connection connection : connections) {
			connection.close();
		}
		Map<String, Object> figures = Bench.figures();
		long timed = completed.get() - warmup;
		figures.put("drained", timed);
		figures.put("drainSeconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
		figures.put("drainRate", Math.round(timed / seconds));
		return figures;
	}

	private static Void loop(CeilingSql.Claims claims, AtomicLong completed, long warmup, AtomicLong start)
			throws SQLException {
		try (claims) {
			while (true) {
				List<Object> ids = claims.claim();
				if (ids.isEmpty()) {
					return null;
				}
				int done = claims.complete(ids);
				if (completed.addAndGet(done) >= warmup && start.get() == 0) {
					start.compareAndSet(0, System.nanoTime());
				}
			}
		}
	}

}
