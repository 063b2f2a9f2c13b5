package dev.backgroundtasks.execution;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The base of the contract tests of the storage SPI: each contract class runs once per
 * {@link StoreDatabase}, on a database of its own with the starter's migrations applied, whose tables
 * are emptied before each test. A database that is not available skips each test, or fails it when it
 * is required (see {@link StoreDatabase#assumeAvailable()}).
 * <p>
 * Why parameterized classes over one list of databases: with an abstract class per contract and a
 * subclass per database, the ten contract classes (six for the execution store alone) would need
 * twenty subclasses today and ten more for each new database, each a copy of the same set-up. Why not
 * parameterized methods: every test would take the database as an argument and open its own. Here a
 * new database is one constant in {@link StoreDatabase}, and every contract runs against it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreDatabase.class)
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractStoreContractTests {

	static final Duration LEASE = Duration.ofSeconds(30);

	private static final String[] TABLES = { "bgt_attempt", "bgt_execution", "bgt_batch", "bgt_task_lock",
			"bgt_task_state", "bgt_node", "bgt_stats_minute" };

	@Parameter
	StoreDatabase database;

	JdbcTemplate jdbc;

	TransactionTemplate transactions;

	DatabaseDialect dialect;

	private HikariDataSource dataSource;

	@BeforeEach
	void emptyDatabase() {
		this.database.assumeAvailable();
		if (this.dataSource == null) {
			open();
		}
		for (String table : TABLES) {
			this.jdbc.update("DELETE FROM " + table);
		}
	}

	private void open() {
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(this.database.freshUrl());
		// Room for the tests with concurrent callers, and one connection more.
		this.dataSource.setMaximumPoolSize(10);
		DatabaseKind kind = DatabaseKind.of(this.dataSource);
		new ExecutionSchemaInitializer(this.dataSource, kind).afterPropertiesSet();
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		this.dialect = DatabaseDialect.of(kind, this.transactions);
		this.jdbc = this.dialect.jdbcTemplate(this.dataSource);
	}

	@AfterParameterizedClassInvocation
	void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
			// The next database's invocation may run on the same instance.
			this.dataSource = null;
		}
	}

}
