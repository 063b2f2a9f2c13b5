package dev.backgroundtasks.benchmarks;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The node of {@link SoakBenchmark}: one application that both submits and runs, as a single-node
 * deployment does. {@code bench.soakSubmitThreads} (4) threads submit {@code bench.soakRate} (2,000) tasks a
 * second between them, open loop (each submission due at a fixed time whatever the previous took; a
 * submitter that falls behind submits as fast as it can until it catches up, and how far behind it was is
 * sampled), one {@code TaskClient.submit} and so one transaction each, or {@code submitAll} of
 * {@code bench.soakSubmitBatch} (1) in one transaction. The task upserts one row of a 1,000-row table
 * through the application's {@code JdbcTemplate} (real work on the same database, a table that does not
 * grow). Worker concurrency 8, a pool of {@code bench.soakPoolSize} (20) connections (8 task threads that
 * use JDBC beside the worker's own connections and the submitters), retention of successful executions
 * {@code bench.soakRetention} (2m) checked every {@code bench.soakRetentionInterval} (10s); any
 * {@code -Dbackground-tasks.*} overrides these. Every {@code bench.soakSampleSeconds} (10) it appends one
 * line to the CSV file {@code bench.soakCsv} ({@link SoakSample}); the heap after a full collection is
 * taken every {@code bench.soakHeapSeconds} (60), at the end of a window so that its pause falls in the
 * next one. When the server's autovacuum is off, a thread of its own vacuums as autovacuum would
 * ({@link #vacuumer}). Runs {@code bench.soakSeconds}; then prints {@code BENCH-RESULT}.
 */
public final class SoakNode {

	static final Recorder pickups = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);

	static final AtomicLong done = new AtomicLong();

	static final AtomicLong lastStartNanos = new AtomicLong();

	static final AtomicLong maxStartGapNanos = new AtomicLong();

	private static final AtomicLong submitted = new AtomicLong();

	private static final AtomicLong submitErrors = new AtomicLong();

	private static final AtomicLong maxLagNanos = new AtomicLong();

	/** Vacuums this harness ran in place of autovacuum (when the server's is off). */
	static final AtomicLong vacuums = new AtomicLong();

	private static volatile boolean submitting = true;

	private SoakNode() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = Bench.integer("soakSeconds", 1_800);
		int sampleSeconds = Bench.integer("soakSampleSeconds", 10);
		int heapEvery = Math.max(1, Bench.integer("soakHeapSeconds", 60) / sampleSeconds);
		try (ConfigurableApplicationContext context = start()) {
			DataSource dataSource = context.getBean(DataSource.class);
			TaskClient client = context.getBean(TaskClient.class);
			HeapAfterGc heap = new HeapAfterGc();
			List<Thread> submitters = submitters(client, Bench.integer("soakRate", 2_000),
					Bench.integer("soakSubmitThreads", 4), Bench.integer("soakSubmitBatch", 1));
			Thread vacuum = vacuumer();
			Path csv = Path.of(Bench.required("soakCsv"));
			Files.createDirectories(csv.toAbsolutePath().getParent());
			long start = System.nanoTime();
			try (Connection stats = Jdbc.connect(Bench.jdbcUrl());
					PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
				out.println(SoakSample.HEADER);
				SoakSample.Database before = SoakSample.Database.read(stats);
				long previousDone = 0;
				long previousSubmitted = 0;
				pickups.reset();
				maxStartGapNanos.set(0);
				maxLagNanos.set(0);
				SoakStoreTiming.take();
				long windowStart = start;
				for (int window = 1; window * (long) sampleSeconds <= seconds; window++) {
					long due = start + TimeUnit.SECONDS.toNanos((long) window * sampleSeconds);
					while (System.nanoTime() < due) {
						LockSupport.parkNanos(due - System.nanoTime());
					}
					long now = System.nanoTime();
					double windowSeconds = (now - windowStart) / 1e9;
					windowStart = now;
					Histogram histogram = pickups.getIntervalHistogram();
					long doneNow = done.get();
					long submittedNow = submitted.get();
					SoakStoreTiming.Window store = SoakStoreTiming.take();
					long startGap = maxStartGapNanos.getAndSet(0);
					long lag = maxLagNanos.getAndSet(0);
					SoakSample.Database database = SoakSample.Database.read(stats);
					// Last, so that the collection's pause falls in the next window.
					Double heapMb = (window % heapEvery == 0) ? heap.collect() : null;
					SoakSample sample = new SoakSample((now - start) / 1e9, (submittedNow - previousSubmitted) / windowSeconds,
							(doneNow - previousDone) / windowSeconds, lag / 1e6,
							histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
							histogram.getMaxValue() / 1e3, startGap / 1e6, database,
							(submittedNow - previousSubmitted) - (database.rows() - before.rows()), store,
							heapMb);
					out.println(sample.csv());
					out.flush();
					System.out.println("[soak] " + sample.csv());
					previousDone = doneNow;
					previousSubmitted = submittedNow;
					before = database;
				}
				submitting = false;
				if (vacuum != null) {
					vacuum.interrupt();
				}
				for (Thread submitter : submitters) {
					submitter.join(30_000);
				}
				Map<String, Object> figures = Bench.figures();
				figures.put("submitted", submitted.get());
				figures.put("submitErrors", submitErrors.get());
				figures.put("ran", done.get());
				figures.put("harnessVacuums", (vacuum != null) ? Long.toString(vacuums.get()) : "none-autovacuum-on");
				figures.put("harnessVacuumCostDelay", (vacuum != null) ? Bench.str("soakVacuumCostDelay", "2ms") : "n/a");
				figures.put("failed", Jdbc.queryLong(dataSource,
						"SELECT count(*) FROM bgt_execution WHERE status IN ('FAILED', 'CANCELLED')"));
				figures.put("seconds", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - start) / 1e9));
				Bench.result(figures);
			}
		}
	}

	/**
	 * Each thread submits every {@code threads}-th call; a call is one {@code submit} or, with {@code batch}
	 * above 1, one {@code submitAll} of that many (one transaction either way), all with the stamp taken
	 * just before the call.
	 */
	private static List<Thread> submitters(TaskClient client, int rate, int threads, int batch) {
		if (rate <= 0 || threads <= 0 || batch <= 0) {
			throw new IllegalArgumentException(
					"bench.soakRate, bench.soakSubmitThreads and bench.soakSubmitBatch must be positive");
		}
		long periodNanos = TimeUnit.SECONDS.toNanos(batch) / rate;
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
		List<Thread> submitters = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int offset = t;
			Thread thread = new Thread(() -> {
				for (long i = offset; submitting; i += threads) {
					long due = start + i * periodNanos;
					long wait;
					while ((wait = due - System.nanoTime()) > 0) {
						LockSupport.parkNanos(wait);
					}
					maxLagNanos.accumulateAndGet(-wait, Math::max);
					try {
						Map<String, Object> params = Map.of("stamp", Bench.nowMicros());
						if (batch == 1) {
							client.submit("soak", params);
						}
						else {
							client.submitAll("soak", Collections.nCopies(batch, params));
						}
						submitted.addAndGet(batch);
					}
					catch (RuntimeException ex) {
						if (submitErrors.incrementAndGet() <= 10) {
							ex.printStackTrace();
						}
					}
				}
			}, "soak-submit-" + t);
			thread.setDaemon(true);
			thread.start();
			submitters.add(thread);
		}
		return submitters;
	}

	/**
	 * When the server's autovacuum is off (or {@code bench.soakVacuumSeconds} is set), vacuums and analyzes
	 * the soak's tables every {@code bench.soakVacuumSeconds} (60, autovacuum's default nap), as autovacuum
	 * would: without it dead rows are never reclaimed and the table grows whatever retention deletes.
	 * @return the thread, or {@code null} when autovacuum does the work
	 */
	private static @Nullable Thread vacuumer() throws Exception {
		String configured = Bench.str("soakVacuumSeconds", "");
		String autovacuum;
		try (Connection connection = Jdbc.connect(Bench.jdbcUrl()); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SHOW autovacuum")) {
			row.next();
			autovacuum = row.getString(1);
		}
		if (configured.isEmpty() && "on".equals(autovacuum)) {
			return null;
		}
		long seconds = configured.isEmpty() ? 60 : Long.parseLong(configured);
		// Throttled as autovacuum throttles itself (autovacuum_vacuum_cost_delay, 2 ms since PostgreSQL 12): a
		// manual VACUUM is not, and on 2 cores an unthrottled one every minute took 1-2 s of a core each time,
		// with the pickup p99 of those windows at 120 ms against 48 ms in the others (run of 2026-12-07).
		String costDelay = Bench.str("soakVacuumCostDelay", "2ms");
		System.out.println("[soak] autovacuum=" + autovacuum + ": VACUUM ANALYZE every " + seconds
				+ " s, vacuum_cost_delay=" + costDelay);
		Thread thread = new Thread(() -> {
			try (Connection connection = Jdbc.connect(Bench.jdbcUrl()); Statement statement = connection.createStatement()) {
				statement.execute("SET vacuum_cost_delay = '" + costDelay + "'");
				while (!Thread.currentThread().isInterrupted()) {
					Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
					long start = System.nanoTime();
					statement.execute("VACUUM (ANALYZE) bgt_execution, bgt_attempt, bgt_task_start, bench_soak_work");
					vacuums.incrementAndGet();
					System.out.printf(Locale.ROOT, "[soak] vacuum took %.0f ms%n", (System.nanoTime() - start) / 1e6);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (Exception ex) {
				ex.printStackTrace();
			}
		}, "soak-vacuum");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"logging.level.dev.backgroundtasks.worker.RetentionCleaner=INFO",
					"spring.datasource.url=" + Bench.jdbcUrl(), "spring.datasource.username=" + Bench.str("user", "postgres"),
					"spring.datasource.password=" + Bench.str("password", ""),
					"spring.datasource.hikari.maximum-pool-size=" + Bench.integer("soakPoolSize", 20),
					"spring.jpa.hibernate.ddl-auto=none", "spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"background-tasks.worker.concurrency=8",
					"background-tasks.retention.successful=" + Bench.str("soakRetention", "2m"),
					"background-tasks.retention.interval=" + Bench.str("soakRetentionInterval", "10s"))
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		static SoakStoreTiming soakStoreTiming() {
			return new SoakStoreTiming();
		}

		@Bean
		SoakTasks soakTasks(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS bench_soak_work (k int PRIMARY KEY, n bigint NOT NULL)");
			jdbc.execute("INSERT INTO bench_soak_work SELECT k, 0 FROM generate_series(0, 999) k ON CONFLICT DO NOTHING");
			return new SoakTasks(jdbc);
		}

	}

	/** The soak's task: records its pickup, then one write through the application's {@code JdbcTemplate}. */
	static class SoakTasks {

		private final JdbcTemplate jdbc;

		private final AtomicLong keys = new AtomicLong();

		SoakTasks(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@BackgroundTask(name = "soak", description = "Upserts one row of a small table")
		public void soak(long stamp) {
			pickups.recordValue(Math.max(0, Bench.nowMicros() - stamp));
			long now = System.nanoTime();
			long previous = lastStartNanos.getAndSet(now);
			if (previous != 0) {
				maxStartGapNanos.accumulateAndGet(now - previous, Math::max);
			}
			// Keys in turn, not from the stamp: a batch of submissions shares one stamp, and its tasks would
			// wait for each other's row lock.
			this.jdbc.update("INSERT INTO bench_soak_work (k, n) VALUES (?, 1)"
					+ " ON CONFLICT (k) DO UPDATE SET n = bench_soak_work.n + 1", (int) (keys.getAndIncrement() % 1000));
			done.incrementAndGet();
		}

	}

}
