package dev.backgroundtasks.benchmarks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw PostgreSQL ceiling: plain JDBC, no framework. Threads claim a batch with one
 * {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED) RETURNING id} and complete it
 * with one {@code UPDATE}, each statement its own transaction, on a table shaped like {@code bgt_execution}.
 * Scenarios: {@code load} (-Dbench.rows) and {@code drain} (-Dbench.batch, -Dbench.threads).
 */
public final class CeilingBenchmark {

	private static final String SCHEMA = """
			CREATE TABLE IF NOT EXISTS ceiling_job (
			    id          uuid         NOT NULL PRIMARY KEY,
			    task_name   varchar(200) NOT NULL,
			    status      varchar(16)  NOT NULL,
			    params      text         NOT NULL,
			    attempt     integer      NOT NULL DEFAULT 0,
			    priority    integer      NOT NULL DEFAULT 0,
			    node        varchar(200),
			    created_at  timestamptz  NOT NULL,
			    run_at      timestamptz  NOT NULL,
			    started_at  timestamptz,
			    finished_at timestamptz,
			    lease_until timestamptz
			);
			CREATE INDEX IF NOT EXISTS ceiling_job_claim_idx ON ceiling_job (priority DESC, run_at, id) WHERE status = 'READY'
			""";

	private static final String CLAIM = "UPDATE ceiling_job SET status = 'RUNNING', node = ?, attempt = attempt + 1,"
			+ " started_at = now(), lease_until = now() + interval '30 seconds'"
			+ " WHERE id IN (SELECT id FROM ceiling_job WHERE status = 'READY' AND run_at <= now()"
			+ " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id";

	private static final String COMPLETE_MANY = "UPDATE ceiling_job SET status = 'SUCCESSFUL', finished_at = now(),"
			+ " lease_until = NULL WHERE id = ANY (?) AND status = 'RUNNING' AND node = ?";

	private static final String COMPLETE_ONE = "UPDATE ceiling_job SET status = 'SUCCESSFUL', finished_at = now(),"
			+ " lease_until = NULL WHERE id = ? AND status = 'RUNNING' AND node = ?";

	private CeilingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		switch (scenario) {
			case "load" -> load(Bench.integer("rows", 100_000));
			case "drain" -> Bench.result(drain(Bench.integer("threads", 8), Bench.integer("batch", 100)));
			default -> throw new IllegalArgumentException("the ceiling has no scenario " + scenario);
		}
	}

	private static void load(int rows) throws SQLException {
		try (Connection connection = Jdbc.connect(Bench.jdbcUrl()); Statement statement = connection.createStatement()) {
			statement.execute(SCHEMA);
			statement.execute("INSERT INTO ceiling_job (id, task_name, status, params, created_at, run_at)"
					+ " SELECT gen_random_uuid(), 'noop', 'READY', '{}', now(), now() FROM generate_series(1, " + rows + ")");
			statement.execute("VACUUM ANALYZE ceiling_job");
		}
		Bench.result(Map.of("loaded", rows));
	}

	private static Map<String, Object> drain(int threads, int batch) throws Exception {
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
			loops.add(pool.submit(() -> loop(connection, batch, completed, warmup, start)));
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

	private static Void loop(Connection connection, int batch, AtomicLong completed, long warmup, AtomicLong start)
			throws SQLException {
		String node = "ceiling-" + UUID.randomUUID();
		try (PreparedStatement claim = connection.prepareStatement(CLAIM);
				PreparedStatement complete = connection.prepareStatement((batch == 1) ? COMPLETE_ONE : COMPLETE_MANY)) {
			while (true) {
				List<UUID> ids = new ArrayList<>(batch);
				claim.setString(1, node);
				claim.setInt(2, batch);
				try (ResultSet rows = claim.executeQuery()) {
					while (rows.next()) {
						ids.add(rows.getObject(1, UUID.class));
					}
				}
				if (ids.isEmpty()) {
					return null;
				}
				if (batch == 1) {
					complete.setObject(1, ids.get(0));
				}
				else {
					Array array = connection.createArrayOf("uuid", ids.toArray());
					complete.setArray(1, array);
				}
				complete.setString(2, node);
				int done = complete.executeUpdate();
				if (completed.addAndGet(done) >= warmup && start.get() == 0) {
					start.compareAndSet(0, System.nanoTime());
				}
			}
		}
	}

}
