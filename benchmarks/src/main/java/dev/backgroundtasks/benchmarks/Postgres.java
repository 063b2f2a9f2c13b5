package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * The local PostgreSQL: databases dropped {@code WITH (FORCE)}, commits per database from
 * {@code pg_stat_database}.
 */
final class Postgres extends DatabaseServer {

	static final List<String> SETTINGS = List.of("synchronous_commit", "fsync", "shared_buffers", "max_connections",
			"work_mem", "wal_level", "max_wal_size", "checkpoint_timeout", "effective_cache_size", "random_page_cost",
			"jit", "autovacuum", "autovacuum_naptime");

	Postgres(String base) {
		super(base);
	}

	@Override
	BenchDatabase kind() {
		return BenchDatabase.POSTGRESQL;
	}

	/** A new connection each time, so the statistics snapshot is fresh. */
	@Override
	OptionalLong commits(String database) throws SQLException {
		// Backends report their counters when they exit or go idle; give the ones that just ended a moment.
		Bench.sleep(Bench.integer("statsSettleMillis", 1_500));
		try (Connection connection = admin();
				PreparedStatement query = connection.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
			query.setString(1, database);
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return OptionalLong.of(rows.getLong(1));
			}
		}
	}

	/**
	 * A checkpoint before each scenario: otherwise one falls inside whichever run reaches
	 * {@code checkpoint_timeout} or {@code max_wal_size}, and the first change to each page after it
	 * writes the whole page to the WAL, which slowed one target's run and not the next one's.
	 */
	@Override
	List<String> settleStatements() {
		return List.of("CHECKPOINT");
	}

	@Override
	List<String> settingNames() {
		return SETTINGS;
	}

	@Override
	String settingQuery(String name) {
		return "SHOW " + name;
	}

	@Override
	String dropStatement(String database) {
		return "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)";
	}

	@Override
	String databasesNamed(String pattern) {
		return "SELECT datname FROM pg_database WHERE datname LIKE '" + pattern + "'";
	}

	@Override
	Connection admin() throws SQLException {
		return Jdbc.connect(url("postgres"));
	}

}
