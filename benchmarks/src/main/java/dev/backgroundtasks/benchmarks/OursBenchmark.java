package dev.backgroundtasks.benchmarks;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ours, as a user gets it: a Spring Boot application with the starter and annotated tasks (no-op, and one
 * that inserts a row through the application's {@code JdbcTemplate}), on
 * PostgreSQL, MariaDB or embedded H2 (file mode, so the load and the drain can be two JVMs). Settings are the
 * library's defaults except {@code background-tasks.worker.concurrency=8}; any
 * {@code -Dbackground-tasks.*} given to the suite is passed on.
 */
public final class OursBenchmark {

	private OursBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String scenario = Bench.scenario(args);
		boolean worker = scenario.equals("drain") || scenario.equals("heap") || scenario.equals("pickup-worker");
		try (ConfigurableApplicationContext context = start(worker)) {
			TaskClient client = context.getBean(TaskClient.class);
			DataSource dataSource = context.getBean(DataSource.class);
			switch (scenario) {
				case "load" -> Bench.result(load(client, dataSource, Bench.integer("rows", 100_000)));
				case "drain" -> Bench.result(drain(dataSource, Bench.integer("rows", 100_000)));
				case "schema" -> Bench.result(Map.of("schema", "bgt_execution"));
				case "heap" -> Bench.result(HeapDrain.measure(Bench.integer("rows", 100_000), dataSource,
						"SELECT count(*) FROM bgt_execution WHERE status IN ('READY', 'RUNNING')", (left) -> left == 0));
				case "submit-single" -> Bench.result(Submits.single(Bench.integer("submitThreads", 4),
						Bench.integer("submitRows", 20_000), Bench.integer("submitWarmup", 2_000),
						() -> client.submit("noop")));
				case "submit-batch" -> Bench.result(submitBatch(client));
				case "pickup-worker" -> Bench.result(Pickups.worker(stamp -> client.submit("pickup", Map.of("stamp", stamp))));
				case "pickup-submit" -> Pickups.submitter(stamp -> client.submit("pickup", Map.of("stamp", stamp)));
				default -> throw new IllegalArgumentException("ours has no scenario " + scenario);
			}
		}
	}

	private static ConfigurableApplicationContext start(boolean worker) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"spring.datasource.url=" + Bench.jdbcUrl(), "spring.datasource.username=" + BenchDatabase.current().user(),
					"spring.datasource.password=" + Bench.str("password", ""), "spring.jpa.hibernate.ddl-auto=none",
					"spring.jpa.open-in-view=false", "spring.flyway.enabled=false",
					"background-tasks.worker.concurrency=8", "background-tasks.worker.enabled=" + worker)
			.run();
	}

	/**
	 * Stores one execution through the API, then copies its row in one INSERT ... SELECT: the queued rows
	 * look exactly like submitted ones whatever columns this version of the schema has.
	 */
	private static Map<String, Object> load(TaskClient client, DataSource dataSource, int rows) throws SQLException {
		String task = Bench.str("task", "noop");
		if (task.equals("insert")) {
			BenchEvents.createTable(dataSource);
		}
		UUID template = client.submit(task).id();
		BenchDatabase database = BenchDatabase.current();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			// Generated columns (H2 derives one for the key index, MariaDB one for the active key) cannot be assigned.
			List<String> columns = new ArrayList<>();
			String table = (database == BenchDatabase.H2) ? "BGT_EXECUTION" : "bgt_execution";
			// The current database only: MariaDB's catalogs are its databases, and others may hold the table too.
			try (ResultSet meta = connection.getMetaData().getColumns(connection.getCatalog(), null, table, null)) {
				while (meta.next()) {
					if (!"YES".equals(meta.getString("IS_GENERATEDCOLUMN"))) {
						columns.add(meta.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
					}
				}
			}
			List<String> values = columns.stream()
				.map((column) -> column.equals("id") ? database.randomUuid() : "t." + column)
				.toList();
			statement.executeUpdate("INSERT INTO bgt_execution (" + String.join(", ", columns) + ") SELECT "
					+ String.join(", ", values) + " FROM bgt_execution t, " + database.series(2, rows) + " WHERE t.id = '"
					+ template + "'");
			String analyze = database.analyze("bgt_execution");
			if (analyze != null) {
				statement.execute(analyze);
			}
		}
		return Map.of("loaded", Jdbc.queryLong(dataSource, "SELECT count(*) FROM bgt_execution WHERE status = 'READY'"));
	}

	private static Map<String, Object> drain(DataSource dataSource, int rows) {
		Map<String, Object> figures = Jdbc.awaitDrain(rows, dataSource,
				"SELECT count(*) FROM bgt_execution WHERE status IN ('READY', 'RUNNING')", (left) -> left == 0);
		figures.put("failed", Jdbc.queryLong(dataSource, "SELECT count(*) FROM bgt_execution WHERE status <> 'SUCCESSFUL'"));
		BenchEvents.count(dataSource, figures);
		return figures;
	}

	/**
	 * {@code TaskClient.submitAll} does not exist on every branch: found by reflection so this harness builds
	 * against any library version, and reported as n/a where it is missing or has a shape not known here.
	 */
	private static Map<String, Object> submitBatch(TaskClient client) throws Exception {
		Method submitAll = null;
		for (Method method : TaskClient.class.getMethods()) {
			Class<?>[] types = method.getParameterTypes();
			if (method.getName().equals("submitAll") && !Modifier.isStatic(method.getModifiers()) && types.length == 2
					&& types[0] == String.class && types[1].isAssignableFrom(ArrayList.class)) {
				submitAll = method;
			}
		}
		if (submitAll == null) {
			return Map.of("batchRate", "n/a", "reason", "no-TaskClient.submitAll(String,List)");
		}
		Method call = submitAll;
		List<Map<String, Object>> chunk = new ArrayList<>(Collections.nCopies(Bench.integer("batchSize", 1_000), Map.of()));
		return Submits.batch(Bench.integer("batchRows", 50_000), Bench.integer("batchWarmup", 5_000), chunk.size(),
				() -> call.invoke(client, "noop", (Collection<?>) chunk));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Tasks.class)
	static class App {

	}

	static class Tasks {

		private final JdbcTemplate jdbc;

		Tasks(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@BackgroundTask(name = "insert", description = "Inserts one row through the application's JdbcTemplate")
		public void insert() {
			BenchEvents.insert(this.jdbc);
			DrainCounter.ran();
		}

		@BackgroundTask(name = "noop", description = "Does nothing: the drain and submit benchmarks")
		public void noop() {
			DrainCounter.ran();
		}

		@BackgroundTask(name = "pickup", description = "Records how long ago it was submitted")
		public void pickup(long stamp) {
			PickupRecorder.started(stamp);
		}

	}

}
