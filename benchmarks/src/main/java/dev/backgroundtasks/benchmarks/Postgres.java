package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's admin connection to the local server: a fresh database per scenario, dropped afterwards, and
 * the server's commit counter and settings.
 */
final class Postgres {

	static final List<String> SETTINGS = List.of("synchronous_commit", "fsync", "shared_buffers", "max_connections",
			"work_mem", "wal_level", "max_wal_size", "checkpoint_timeout", "effective_cache_size", "random_page_cost",
			"jit");

	private final String base;

	Postgres(String base) {
		this.base = base.endsWith("/") ? base : base + "/";
	}

	String url(String database) {
		return this.base + database;
	}

	void create(String database) throws SQLException {
		execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
		execute("CREATE DATABASE " + database);
	}

	/** Drops what an interrupted run left behind: only databases named like the suite names them. */
	void dropLeftovers() throws SQLException {
		List<String> leftovers = new java.util.ArrayList<>();
		try (Connection connection = Jdbc.connect(url("postgres")); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'bgt\\_bench\\_%'")) {
			while (rows.next()) {
				leftovers.add(rows.getString(1));
			}
		}
		for (String database : leftovers) {
			drop(database);
		}
	}

	void drop(String database) throws SQLException {
		execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
	}

	/** Commits of one database so far. A new connection each time, so the statistics snapshot is fresh. */
	long commits(String database) throws SQLException {
		// Backends report their counters when they exit or go idle; give the ones that just ended a moment.
		Bench.sleep(Bench.integer("statsSettleMillis", 1_500));
		try (Connection connection = Jdbc.connect(url("postgres"));
				PreparedStatement query = connection.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
			query.setString(1, database);
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	Map<String, String> settings() throws SQLException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (Connection connection = Jdbc.connect(url("postgres")); Statement statement = connection.createStatement()) {
			try (ResultSet rows = statement.executeQuery("SELECT version()")) {
				rows.next();
				settings.put("version", rows.getString(1));
			}
			for (String name : SETTINGS) {
				try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
					rows.next();
					settings.put(name, rows.getString(1));
				}
			}
		}
		return settings;
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = Jdbc.connect(url("postgres")); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
