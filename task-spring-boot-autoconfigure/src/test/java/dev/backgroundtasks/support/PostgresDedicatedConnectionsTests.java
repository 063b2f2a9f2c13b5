package dev.backgroundtasks.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import dev.backgroundtasks.it.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link DedicatedConnections} on PostgreSQL: connections outside a Hikari pool set up by
 * JDBC URL or by {@code dataSourceClassName} reach the pool's schema under the given application name,
 * and give up connecting after the pool's connection timeout when the network is silent.
 */
@PostgresTest
class PostgresDedicatedConnectionsTests {

	/** Far longer than the one second the pools below wait for a connection. */
	private static final Duration GENEROUSLY = Duration.ofSeconds(20);

	private final String url = PostgresTestDatabase.freshSchemaUrl();

	private final HikariDataSource hikari = new HikariDataSource();

	@AfterEach
	void closePool() {
		this.hikari.close();
	}

	@Test
	void opensAConnectionOutsideAPoolSetUpByJdbcUrl() throws SQLException {
		this.hikari.setJdbcUrl(this.url);
		assertNamedInTheSchema(new DedicatedConnections(this.hikari, "dedicated by url"), "dedicated by url");
	}

	@Test
	void opensAConnectionOutsideAPoolSetUpByDataSourceClassName() throws SQLException {
		setUpByClassName(this.url);
		assertNamedInTheSchema(new DedicatedConnections(this.hikari, "dedicated by class"), "dedicated by class");
	}

	@Test
	void givesUpConnectingOverASilentNetworkByJdbcUrl() throws Exception {
		try (TcpProxy proxy = proxy()) {
			this.hikari.setJdbcUrl(throughProxy(this.url, proxy.port()));
			this.hikari.setConnectionTimeout(1000);
			assertGivesUpWhenCut(proxy);
		}
	}

	@Test
	void givesUpConnectingOverASilentNetworkByDataSourceClassName() throws Exception {
		try (TcpProxy proxy = proxy()) {
			setUpByClassName(throughProxy(this.url, proxy.port()));
			this.hikari.setConnectionTimeout(1000);
			assertGivesUpWhenCut(proxy);
		}
	}

	private void assertGivesUpWhenCut(TcpProxy proxy) throws SQLException {
		DedicatedConnections connections = new DedicatedConnections(this.hikari, "cut");
		try (Connection connection = connections.call()) {
			assertThat(connection.isValid(5)).as("valid before the cut").isTrue();
		}
		proxy.cut();
		assertTimeoutPreemptively(GENEROUSLY,
				() -> assertThatExceptionOfType(SQLException.class).isThrownBy(connections::call));
	}

	private void assertNamedInTheSchema(DedicatedConnections connections, String name) throws SQLException {
		assertThat(connections.isOutsidePool()).isTrue();
		try (Connection connection = connections.call(); Statement statement = connection.createStatement();
				var row = statement.executeQuery("SELECT current_setting('application_name'), current_schema()")) {
			row.next();
			assertThat(row.getString(1)).isEqualTo(name);
			assertThat(row.getString(2)).isEqualTo(Driver.parseURL(this.url, null).getProperty("currentSchema"));
			assertThat(connection.getAutoCommit()).isTrue();
		}
	}

	private void setUpByClassName(String url) {
		Properties parsed = Driver.parseURL(url, null);
		this.hikari.setDataSourceClassName(PGSimpleDataSource.class.getName());
		this.hikari.addDataSourceProperty("serverName", parsed.getProperty("PGHOST"));
		this.hikari.addDataSourceProperty("portNumber", parsed.getProperty("PGPORT"));
		this.hikari.addDataSourceProperty("databaseName", parsed.getProperty("PGDBNAME"));
		this.hikari.addDataSourceProperty("user", parsed.getProperty("user"));
		if (parsed.getProperty("password") != null) {
			this.hikari.addDataSourceProperty("password", parsed.getProperty("password"));
		}
		this.hikari.addDataSourceProperty("currentSchema", parsed.getProperty("currentSchema"));
	}

	private TcpProxy proxy() throws Exception {
		Properties parsed = Driver.parseURL(this.url, null);
		return new TcpProxy(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")));
	}

	private static String throughProxy(String url, int port) {
		return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
	}

}
