package dev.backgroundtasks.execution;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@PostgresTest
class PostgresExecutionStoreContractTests extends AbstractExecutionStoreContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(PostgresTestDatabase.freshSchemaUrl());
		dataSource.setMaximumPoolSize(8);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

}
