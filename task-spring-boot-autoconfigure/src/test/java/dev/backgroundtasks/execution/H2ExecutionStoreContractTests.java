package dev.backgroundtasks.execution;

import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;

class H2ExecutionStoreContractTests extends AbstractExecutionStoreContractTests {

	private final HikariDataSource dataSource = new HikariDataSource();

	H2ExecutionStoreContractTests() {
		this.dataSource.setJdbcUrl("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		this.dataSource.setUsername("sa");
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Override
	protected DataSource dataSource() {
		return this.dataSource;
	}

}
