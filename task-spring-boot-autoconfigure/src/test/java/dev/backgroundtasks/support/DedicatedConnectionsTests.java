package dev.backgroundtasks.support;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.ProxyConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DedicatedConnections} on H2: a Hikari pool's connection settings (a JDBC URL, a
 * {@code dataSourceClassName}, a data source), in the order Hikari itself uses them, open connections
 * outside the pool; any other data source lends one; a bad class name gives a clear error.
 */
class DedicatedConnectionsTests {

	private final HikariDataSource hikari = new HikariDataSource();

	@AfterEach
	void closePool() {
		this.hikari.close();
	}

	@Test
	void opensAConnectionOutsideAPoolSetUpByJdbcUrl() throws SQLException {
		String url = newDatabase("CREATE SCHEMA other", "CREATE TABLE other.marker (id INT)");
		this.hikari.setJdbcUrl(url);
		this.hikari.setUsername("sa");
		this.hikari.setSchema("OTHER");
		DedicatedConnections connections = new DedicatedConnections(startedPool(), "test");
		assertThat(connections.isOutsidePool()).isTrue();
		try (Connection connection = connections.call()) {
			assertOutsideThePool(connection);
			assertThat(connection.getAutoCommit()).isTrue();
			assertThat(connection.getSchema()).isEqualTo("OTHER");
			assertThat(count(connection, "marker")).isZero();
		}
	}

	@Test
	void opensAConnectionOutsideAPoolSetUpByDataSourceClassName() throws SQLException {
		this.hikari.setDataSourceClassName(JdbcDataSource.class.getName());
		this.hikari.addDataSourceProperty("url", newDatabase("CREATE TABLE marker (id INT)"));
		this.hikari.addDataSourceProperty("user", "sa");
		DedicatedConnections connections = new DedicatedConnections(startedPool(), "test");
		assertThat(connections.isOutsidePool()).isTrue();
		try (Connection connection = connections.call()) {
			assertOutsideThePool(connection);
			assertThat(count(connection, "marker")).isZero();
		}
	}

	@Test
	void prefersTheDataSourceClassNameToTheJdbcUrlAsHikariDoes() throws SQLException {
		this.hikari.setJdbcUrl(newDatabase());
		this.hikari.setDataSourceClassName(JdbcDataSource.class.getName());
		this.hikari.addDataSourceProperty("url", newDatabase("CREATE TABLE marker (id INT)"));
		this.hikari.addDataSourceProperty("user", "sa");
		try (Connection pooled = startedPool().getConnection()) {
			assertThat(count(pooled, "marker")).as("rows of the pool's table").isZero();
		}
		try (Connection connection = new DedicatedConnections(this.hikari, "test").call()) {
			assertThat(count(connection, "marker")).as("rows of the pool's table").isZero();
		}
	}

	@Test
	void opensAConnectionOutsideAPoolGivenADataSource() throws SQLException {
		JdbcDataSource target = new JdbcDataSource();
		target.setURL(newDatabase("CREATE TABLE marker (id INT)"));
		this.hikari.setDataSource(target);
		this.hikari.setUsername("sa");
		this.hikari.setPassword("");
		try (Connection connection = new DedicatedConnections(startedPool(), "test").call()) {
			assertOutsideThePool(connection);
			assertThat(count(connection, "marker")).isZero();
		}
	}

	@Test
	void borrowsFromAnyOtherDataSource() throws SQLException {
		JdbcDataSource target = new JdbcDataSource();
		target.setURL(newDatabase());
		target.setUser("sa");
		CountingDataSource counting = new CountingDataSource(target);
		DedicatedConnections connections = new DedicatedConnections(counting, "test");
		assertThat(connections.isOutsidePool()).isFalse();
		try (Connection connection = connections.call()) {
			assertThat(connection.isValid(1)).isTrue();
			assertThat(connection.getAutoCommit()).isTrue();
		}
		assertThat(counting.borrowed.get()).isOne();
	}

	@Test
	void borrowsFromAPoolThatLooksItsDataSourceUpInJndi() {
		this.hikari.setDataSourceJNDI("java:comp/env/jdbc/tasks");
		assertThat(new DedicatedConnections(this.hikari, "test").isOutsidePool()).isFalse();
	}

	@Test
	void aDataSourceClassNotOnTheClassPathIsNamed() {
		this.hikari.setDataSourceClassName("com.example.NoSuchDataSource");
		assertThatExceptionOfType(SQLException.class).isThrownBy(new DedicatedConnections(this.hikari, "test")::call)
			.withMessageContaining("dataSourceClassName")
			.withMessageContaining("com.example.NoSuchDataSource")
			.withMessageContaining("class path");
	}

	@Test
	void aDataSourceClassThatIsNoDataSourceIsNamed() {
		this.hikari.setDataSourceClassName(String.class.getName());
		assertThatExceptionOfType(SQLException.class).isThrownBy(new DedicatedConnections(this.hikari, "test")::call)
			.withMessageContaining("java.lang.String")
			.withMessageContaining("not a javax.sql.DataSource");
	}

	@Test
	void anUnknownDataSourcePropertyIsNamed() {
		this.hikari.setDataSourceClassName(JdbcDataSource.class.getName());
		this.hikari.addDataSourceProperty("noSuchProperty", "1");
		assertThatExceptionOfType(SQLException.class).isThrownBy(new DedicatedConnections(this.hikari, "test")::call)
			.withMessageContaining("noSuchProperty")
			.withMessageContaining(JdbcDataSource.class.getName());
	}

	private void assertOutsideThePool(Connection connection) {
		assertThat(connection).isNotInstanceOf(ProxyConnection.class);
		assertThat(this.hikari.getHikariPoolMXBean().getActiveConnections()).as("pooled connections in use").isZero();
	}

	private HikariDataSource startedPool() throws SQLException {
		this.hikari.getConnection().close();
		return this.hikari;
	}

	/**
	 * A new in-memory database, kept until the JVM ends, set up by the statements.
	 */
	private static String newDatabase(String... statements) throws SQLException {
		String url = "jdbc:h2:mem:dedicated-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		return url;
	}

	/**
	 * How many rows the table has, or -1 when there is no such table.
	 */
	private static int count(Connection connection, String table) {
		try (Statement statement = connection.createStatement();
				var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
			rows.next();
			return rows.getInt(1);
		}
		catch (SQLException ex) {
			return -1;
		}
	}

	private static final class CountingDataSource implements DataSource {

		private final DataSource target;

		private final AtomicInteger borrowed = new AtomicInteger();

		CountingDataSource(DataSource target) {
			this.target = target;
		}

		@Override
		public Connection getConnection() throws SQLException {
			this.borrowed.incrementAndGet();
			return this.target.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			this.borrowed.incrementAndGet();
			return this.target.getConnection(username, password);
		}

		@Override
		public PrintWriter getLogWriter() throws SQLException {
			return this.target.getLogWriter();
		}

		@Override
		public void setLogWriter(PrintWriter out) throws SQLException {
			this.target.setLogWriter(out);
		}

		@Override
		public void setLoginTimeout(int seconds) throws SQLException {
			this.target.setLoginTimeout(seconds);
		}

		@Override
		public int getLoginTimeout() throws SQLException {
			return this.target.getLoginTimeout();
		}

		@Override
		public Logger getParentLogger() {
			return Logger.getGlobal();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("Not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
