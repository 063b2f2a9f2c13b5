package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.execution.ExecutionIds;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ceilings of issue #19 on PostgreSQL, plain JDBC: submits into {@code bgt_execution} as the starter's
 * migrations created it (same indexes), a row as the starter writes a plain submission (time-ordered id, the
 * task's defaults, due now); and the INSERT the realistic drain's tasks perform, from 8 threads through a pool.
 */
final class CeilingWrites {

	/** The columns a plain submission of a task without limits sets; the others keep their defaults or NULL. */
	private static final String COLUMNS = "id, task_name, trigger_type, params, max_attempts, max_concurrency, priority,"
			+ " status, attempt, claim_token, created_at, run_at";

	private static final String SINGLE = "INSERT INTO bgt_execution (" + COLUMNS
			+ ") VALUES (?, 'noop', 'CODE', '{}', 3, 0, 0, 'READY', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";

	/** One statement per chunk: the ids as one array, the rest alike (as a batch of one task's submissions is). */
	private static final String BATCH = "INSERT INTO bgt_execution (" + COLUMNS
			+ ") SELECT v.id, 'noop', 'CODE', '{}', 3, 0, 0, 'READY', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
			+ " FROM unnest(?::uuid[]) AS v (id)";

	private CeilingWrites() {
	}

	/** Each thread on its own connection in autocommit: one INSERT, one commit per row. */
	static Map<String, Object> submitSingle(int threads) throws Exception {
		List<Connection> connections = new ArrayList<>();
		List<PreparedStatement> statements = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Connection connection = Jdbc.connect(Bench.jdbcUrl());
			connections.add(connection);
			statements.add(connection.prepareStatement(SINGLE));
		}
		// As many connections as threads: a submission borrows one for its statement and gives it back.
		BlockingQueue<PreparedStatement> free = new ArrayBlockingQueue<>(threads, false, statements);
		try {
			return Submits.single(threads, Bench.integer("submitRows", 20_000), Bench.integer("submitWarmup", 2_000), () -> {
				PreparedStatement statement = free.take();
				try {
					statement.setObject(1, ExecutionIds.next());
					statement.executeUpdate();
				}
				finally {
					free.add(statement);
				}
			});
		}
		finally {
			for (Connection connection : connections) {
				connection.close();
			}
		}
	}

	/** One thread, one connection in autocommit: one multi-row INSERT (and commit) per chunk. */
	static Map<String, Object> submitBatch() throws Exception {
		int size = Bench.integer("batchSize", 1_000);
		try (Connection connection = Jdbc.connect(Bench.jdbcUrl());
				PreparedStatement statement = connection.prepareStatement(BATCH)) {
			return Submits.batch(Bench.integer("batchRows", 50_000), Bench.integer("batchWarmup", 5_000), size, () -> {
				UUID[] ids = ExecutionIds.next(size);
				statement.setArray(1, connection.createArrayOf("uuid", ids));
				if (statement.executeUpdate() != size) {
					throw new IllegalStateException("a chunk did not insert " + size + " rows");
				}
			});
		}
	}

	/**
	 * The same-JVM ceiling of the realistic drain: {@code threads} threads doing the tasks' INSERT through a
	 * JdbcTemplate on a Hikari pool of the size ours and db-scheduler get, autocommit, {@code rows} in all.
	 */
	static Map<String, Object> drainInsert(int threads, int rows) throws Exception {
		try (HikariDataSource dataSource = Jdbc.pool(Bench.jdbcUrl(), Jdbc.POOL_SIZE)) {
			BenchEvents.createTable(dataSource);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			// Warm the pool and the JIT a little, as the others' JVMs are by their start-up; not counted.
			for (int i = 0; i < 1_000; i++) {
				BenchEvents.insert(jdbc);
			}
			jdbc.update("TRUNCATE bench_event");
			long start = System.nanoTime();
			Submits.run(threads, rows, () -> BenchEvents.insert(jdbc));
			double seconds = (System.nanoTime() - start) / 1e9;
			Map<String, Object> figures = Bench.figures();
			figures.put("drained", rows);
			figures.put("drainSeconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
			figures.put("drainRate", Math.round(rows / seconds));
			figures.put("inserted", Jdbc.queryLong(dataSource, "SELECT count(*) FROM bench_event"));
			return figures;
		}
	}

}
