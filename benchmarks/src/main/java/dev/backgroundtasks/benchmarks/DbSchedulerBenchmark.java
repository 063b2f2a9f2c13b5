package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

/**
 * db-scheduler 16.12.0, the plain library, tuned as its README advises for throughput and latency:
 * lock-and-fetch polling ({@code pollUsingLockAndFetch(0.5, 1.0)}), immediate execution, a 100 ms polling
 * interval and 8 threads, on a HikariCP pool of 10 (ours gets the same from Spring Boot).
 * {@code -Dbench.dbSchedulerDefaults=true} keeps its defaults instead (except threads).
 */
public final class DbSchedulerBenchmark {

	// The PostgreSQL table from db-scheduler's README (postgresql_tables.sql, v15+).
	private static final String SCHEMA = """
			CREATE TABLE IF NOT EXISTS scheduled_tasks (
			    task_name            text                     NOT NULL,
			    task_instance        text                     NOT NULL,
			    task_data            bytea,
			    execution_time       timestamp with time zone NOT NULL,
			    picked               boolean                  NOT NULL,
			    picked_by            text,
			    last_success         timestamp with time zone,
			    last_failure         timestamp with time zone,
			    consecutive_failures int,
			    last_heartbeat       timestamp with time zone,
			    version              bigint                   NOT NULL,
			    priority             smallint,
			    PRIMARY KEY (task_name, task_instance)
			);
			CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
			CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
			CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)
			""";

	private static final OneTimeTask<Void> NOOP = Tasks.oneTime("noop").execute((instance, context) -> DrainCounter.ran());

	private static final OneTimeTask<Long> PICKUP = Tasks.oneTime("pickup", Long.class)
		.execute((instance, context) -> PickupRecorder.started(instance.getData()));

	private static final List<Task<?>> TASKS = List.of(NOOP, PICKUP);

	private static final AtomicLong ids = new AtomicLong();

	private DbSchedulerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		try (HikariDataSource dataSource = Jdbc.pool(Bench.jdbcUrl(), Jdbc.POOL_SIZE)) {
			createSchema(dataSource);
			SchedulerClient client = SchedulerClient.Builder.create(dataSource, TASKS).build();
			switch (scenario) {
				case "load" -> {
					int rows = Bench.integer("rows", 100_000);
					for (int done = 0; done < rows; done += 1_000) {
						client.scheduleBatch(noops(Math.min(1_000, rows - done)), Instant.now());
					}
					Bench.result(Map.of("loaded", Jdbc.queryLong(dataSource, "SELECT count(*) FROM scheduled_tasks")));
				}
				case "drain" -> {
					Scheduler scheduler = scheduler(dataSource);
					scheduler.start();
					Map<String, Object> figures = Jdbc.awaitDrain(Bench.integer("rows", 100_000), dataSource,
							"SELECT count(*) FROM scheduled_tasks", (left) -> left == 0);
					scheduler.stop();
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
							size, () -> client.scheduleBatch(noops(size), Instant.now())));
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
		if (Bench.flag("dbSchedulerDefaults")) {
			return Scheduler.create(dataSource, TASKS).threads(8).build();
		}
		return Scheduler.create(dataSource, TASKS)
			.threads(8)
			.pollUsingLockAndFetch(0.5, 1.0)
			.enableImmediateExecution()
			.pollingInterval(Duration.ofMillis(100))
			.build();
	}

	private static List<TaskInstance<?>> noops(int count) {
		List<TaskInstance<?>> instances = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			instances.add(NOOP.instance(id()));
		}
		return instances;
	}

	private static String id() {
		return UUID.randomUUID() + "-" + ids.incrementAndGet();
	}

	private static void createSchema(HikariDataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(SCHEMA);
		}
	}

}
