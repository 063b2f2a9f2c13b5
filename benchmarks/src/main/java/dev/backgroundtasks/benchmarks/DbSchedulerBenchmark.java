package dev.backgroundtasks.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * db-scheduler 16.12.0, the plain library, tuned as its README advises for throughput and latency:
 * immediate execution, a 100 ms polling interval and 8 threads, on a HikariCP pool of 10 (ours gets the
 * same from Spring Boot), with its table from {@code db-scheduler/<database>_tables.sql}. On PostgreSQL it
 * polls with lock-and-fetch ({@code pollUsingLockAndFetch(0.5, 1.0)}). On MariaDB it persists times in UTC
 * ({@code alwaysPersistTimestampInUTC}, its advice for MariaDB and MySQL) and polls with its default
 * fetch-and-lock-on-execute ({@code (0.5, 3.0)}): its MariaDB customization does not support
 * lock-and-fetch ({@code MariaDBJdbcCustomization.supportsGenericLockAndFetch()} is false; the scheduler
 * refuses to start with it). {@code -Dbench.dbSchedulerDefaults=true} keeps its defaults instead (except
 * threads and UTC).
 */
public final class DbSchedulerBenchmark {

	private static final OneTimeTask<Void> NOOP = Tasks.oneTime("noop").execute((instance, context) -> DrainCounter.ran());

	private static final OneTimeTask<Long> PICKUP = Tasks.oneTime("pickup", Long.class)
		.execute((instance, context) -> PickupRecorder.started(instance.getData()));

	/** The realistic drain's task: one INSERT through a JdbcTemplate on the scheduler's pool. */
	private static final OneTimeTask<Void> INSERT = Tasks.oneTime("insert").execute((instance, context) -> {
		BenchEvents.insert(Holder.jdbc);
		DrainCounter.ran();
	});

	private static final List<Task<?>> TASKS = List.of(NOOP, PICKUP, INSERT);

	private static final AtomicLong ids = new AtomicLong();

	private DbSchedulerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		try (HikariDataSource dataSource = Jdbc.pool(Bench.jdbcUrl(), Jdbc.POOL_SIZE)) {
			createSchema(dataSource);
			Holder.jdbc = new JdbcTemplate(dataSource);
			OneTimeTask<Void> queued = Bench.str("task", "noop").equals("insert") ? INSERT : NOOP;
			SchedulerClient client = SchedulerClient.Builder.create(dataSource, TASKS)
				.jdbcCustomization(new AutodetectJdbcCustomization(dataSource, utc()))
				.build();
			switch (scenario) {
				case "load" -> {
					int rows = Bench.integer("rows", 100_000);
					if (queued == INSERT) {
						BenchEvents.createTable(dataSource);
					}
					for (int done = 0; done < rows; done += 1_000) {
						client.scheduleBatch(instances(queued, Math.min(1_000, rows - done)), Instant.now());
					}
					Bench.result(Map.of("loaded", Jdbc.queryLong(dataSource, "SELECT count(*) FROM scheduled_tasks")));
				}
				case "drain" -> {
					Scheduler scheduler = scheduler(dataSource);
					scheduler.start();
					Map<String, Object> figures = Jdbc.awaitDrain(Bench.integer("rows", 100_000), dataSource,
							"SELECT count(*) FROM scheduled_tasks", (left) -> left == 0);
					scheduler.stop();
					BenchEvents.count(dataSource, figures);
					Bench.result(figures);
				}
				case "heap" -> {
					Scheduler scheduler = scheduler(dataSource);
					scheduler.start();
					Map<String, Object> figures = HeapDrain.measure(Bench.integer("rows", 100_000), dataSource,
							"SELECT count(*) FROM scheduled_tasks", (left) -> left == 0);
					scheduler.stop();
					Bench.result(figures);
				}
				case "submit-single" -> Bench.result(Submits.single(Bench.integer("submitThreads", 4),
						Bench.integer("submitRows", 20_000), Bench.integer("submitWarmup", 2_000),
						() -> client.schedule(NOOP.instance(id()), Instant.now())));
				case "submit-batch" -> {
					int size = Bench.integer("batchSize", 1_000);
					Bench.result(Submits.batch(Bench.integer("batchRows", 50_000), Bench.integer("batchWarmup", 5_000),
							size, () -> client.scheduleBatch(instances(NOOP, size), Instant.now())));
				}
				case "pickup-worker" -> {
					Scheduler scheduler = scheduler(dataSource);
					scheduler.start();
					// The scheduler is also a SchedulerClient: a local schedule() triggers immediate execution.
					Bench.result(Pickups.worker((stamp) -> scheduler.schedule(PICKUP.instance(id(), stamp), Instant.now())));
					scheduler.stop();
				}
				case "pickup-submit" -> Pickups.submitter((stamp) -> client.schedule(PICKUP.instance(id(), stamp), Instant.now()));
				default -> throw new IllegalArgumentException("db-scheduler has no scenario " + scenario);
			}
		}
	}

	private static Scheduler scheduler(HikariDataSource dataSource) {
		SchedulerBuilder builder = Scheduler.create(dataSource, TASKS).threads(8);
		if (utc()) {
			builder.alwaysPersistTimestampInUTC();
		}
		if (Bench.flag("dbSchedulerDefaults")) {
			return builder.build();
		}
		if (BenchDatabase.current() == BenchDatabase.POSTGRESQL) {
			builder.pollUsingLockAndFetch(0.5, 1.0);
		}
		return builder.enableImmediateExecution().pollingInterval(Duration.ofMillis(100)).build();
	}

	/** MariaDB's TIMESTAMP keeps no zone: db-scheduler advises writing times in UTC there. */
	private static boolean utc() {
		return BenchDatabase.current() == BenchDatabase.MARIADB;
	}

	private static List<TaskInstance<?>> instances(OneTimeTask<Void> task, int count) {
		List<TaskInstance<?>> instances = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			instances.add(task.instance(id()));
		}
		return instances;
	}

	private static String id() {
		return UUID.randomUUID() + "-" + ids.incrementAndGet();
	}

	/** db-scheduler's table for this database, one statement at a time (MariaDB's driver takes one per call). */
	private static void createSchema(HikariDataSource dataSource) throws SQLException, IOException {
		String resource = "/db-scheduler/" + BenchDatabase.current().name().toLowerCase(Locale.ROOT) + "_tables.sql";
		String script;
		try (InputStream in = DbSchedulerBenchmark.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("no " + resource);
			}
			script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
				if (!sql.isBlank()) {
					statement.execute(sql);
				}
			}
		}
	}

	/** The JdbcTemplate the inserting task writes through, on the scheduler's pool; set before any task runs. */
	private static final class Holder {

		static volatile JdbcTemplate jdbc;

	}

}
