package dev.backgroundtasks.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Submit rates. Single: N threads, each submission its own transaction. Batch: one thread, one call per
 * chunk. Both after an unrecorded warm-up (the JIT and the pool), with no worker running.
 */
final class Submits {

	private Submits() {
	}

	@FunctionalInterface
	interface Call {

		void run() throws Exception;

	}

	static Map<String, Object> single(int threads, int rows, int warmup, Call submit) throws Exception {
		run(threads, warmup, submit);
		long start = System.nanoTime();
		run(threads, rows, submit);
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Object> figures = Bench.figures();
		figures.put("singleRows", rows);
		figures.put("singleRate", Math.round(rows / seconds));
		return figures;
	}

	static Map<String, Object> batch(int rows, int warmup, int chunk, Call submitChunk) throws Exception {
		for (int done = 0; done < warmup; done += chunk) {
			submitChunk.run();
		}
		long start = System.nanoTime();
		int done = 0;
		for (; done < rows; done += chunk) {
			submitChunk.run();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Object> figures = Bench.figures();
		figures.put("batchRows", done);
		figures.put("batchSize", chunk);
		figures.put("batchRate", Math.round(done / seconds));
		return figures;
	}

	/**
	 * Runs {@code rows} calls spread over {@code threads} threads and returns once all are done.
	 */
	static void run(int threads, int rows, Call submit) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> parts = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int share = rows / threads + ((t < rows % threads) ? 1 : 0);
				parts.add(pool.submit(() -> {
					for (int i = 0; i < share; i++) {
						submit.run();
					}
					return null;
				}));
			}
			for (Future<?> part : parts) {
				part.get();
			}
		}
		finally {
			pool.shutdown();
		}
	}

}
