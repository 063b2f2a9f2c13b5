package dev.backgroundtasks.execution;

import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fresh, migrated databases of every {@link StoreDatabase}, for tests of SQL-bound classes that are not
 * store contracts ({@link DatabaseTest}). A database that is not available here is skipped visibly, or
 * fails the test when it is required, as in the contract suite.
 */
final class TestDatabases {

	private TestDatabases() {
	}

	/**
	 * @return the names of the databases to run on: every {@link StoreDatabase}
	 */
	static Stream<String> names() {
		return Arrays.stream(StoreDatabase.values()).map(StoreDatabase::name);
	}

	/**
	 * @param dataSource a database from {@link #fresh}
	 * @return the execution store on it, its transactions all its own, every node knowing limited tasks
	 */
	static JdbcExecutionStore executionStore(DataSource dataSource) {
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		DatabaseDialect dialect = DatabaseDialect.of(DatabaseKind.of(dataSource), transactions);
		return new JdbcExecutionStore(dialect.jdbcTemplate(dataSource), dialect, transactions,
				dialect.ownTransactions(transactions), () -> true);
	}

	/**
	 * @param dataSource a database from {@link #fresh}
	 * @return a template that runs the stores' statements on it, as its dialect's
	 */
	static JdbcTemplate jdbc(DataSource dataSource) {
		return DatabaseDialect.of(DatabaseKind.of(dataSource), TransactionOperations.withoutTransaction())
			.jdbcTemplate(dataSource);
	}

	/**
	 * @param dataSource a database from {@link #fresh}
	 * @return the transactions the engine starts for itself there, as the store hands them to its parts
	 * (READ COMMITTED on MariaDB)
	 */
	static TransactionOperations ownTransactions(DataSource dataSource) {
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		return DatabaseDialect.of(DatabaseKind.of(dataSource), transactions).ownTransactions(transactions);
	}

	/**
	 * @param name one of {@link #names()}
	 * @return a pool on a new database (PostgreSQL: a new schema) holding the starter's tables
	 */
	static HikariDataSource fresh(String name) {
		StoreDatabase database = StoreDatabase.valueOf(name);
		database.assumeAvailable();
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.freshUrl());
		new ExecutionSchemaInitializer(dataSource, DatabaseKind.of(dataSource)).afterPropertiesSet();
		return dataSource;
	}

}
