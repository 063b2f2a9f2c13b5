package dev.backgroundtasks.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * The local MariaDB. It counts commits for the whole server only, not per database, so the report leaves
 * that figure out; its settings are read, never changed.
 */
final class MariaDb extends DatabaseServer {

	static final List<String> SETTINGS = List.of("innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin",
			"innodb_buffer_pool_size", "innodb_log_file_size", "innodb_flush_method", "innodb_doublewrite",
			"tx_isolation", "innodb_lock_wait_timeout", "max_connections");

	MariaDb(String base) {
		super(base);
	}

	@Override
	BenchDatabase kind() {
		return BenchDatabase.MARIADB;
	}

	@Override
	OptionalLong commits(String database) {
		return OptionalLong.empty();
	}

	@Override
	List<String> settingNames() {
		return SETTINGS;
	}

	@Override
	String settingQuery(String name) {
		return "SELECT @@GLOBAL." + name;
	}

	@Override
	String dropStatement(String database) {
		return "DROP DATABASE IF EXISTS " + database;
	}

	@Override
	String databasesNamed(String pattern) {
		return "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '" + pattern + "'";
	}

	@Override
	Connection admin() throws SQLException {
		return Jdbc.connect(url(""));
	}

}
