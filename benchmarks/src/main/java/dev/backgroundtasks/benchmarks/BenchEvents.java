package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table the realistic drain's tasks write to (issue #19), and the one INSERT each task (and each
 * iteration of the ceiling) performs.
 */
final class BenchEvents {

	static final String INSERT = "INSERT INTO bench_event (payload, created_at) VALUES (?, now())";

	private static final String PAYLOAD = "{\"order\":12345,\"status\":\"shipped\"}";

	private BenchEvents() {
	}

	static void createTable(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS bench_event (id bigserial PRIMARY KEY, payload text NOT NULL,"
					+ " created_at timestamptz NOT NULL)");
		}
	}

	static void insert(JdbcTemplate jdbc) {
		jdbc.update(INSERT, PAYLOAD);
	}

	/** Puts how many rows the tasks inserted into the figures, when the table exists. */
	static void count(DataSource dataSource, Map<String, Object> figures) {
		if (Bench.str("task", "noop").equals("insert")) {
			figures.put("inserted", Jdbc.queryLong(dataSource, "SELECT count(*) FROM bench_event"));
		}
	}

}
