package dev.backgroundtasks.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.util.ClassUtils;

/**
 * Opens connections to the application's database outside its pool, for work that must never queue
 * behind the application for a pooled connection (the heartbeat that keeps leases, the LISTEN of
 * cluster wake-ups). With Hikari (Spring Boot's default) it uses the pool's own settings: its JDBC URL,
 * or its {@code dataSourceClassName} with the pool's data source properties; with any other data source
 * it borrows a connection from it, for as long as the caller keeps it ({@link #isOutsidePool()} tells
 * which).
 */
public final class DedicatedConnections implements Callable<Connection> {

	private static final boolean hikariPresent = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DedicatedConnections.class.getClassLoader());

	private final DataSource dataSource;

	private final String applicationName;

	/**
	 * @param dataSource the application's data source
	 * @param applicationName how the connections name themselves to the server, where the driver can
	 */
	public DedicatedConnections(DataSource dataSource, String applicationName) {
		this.dataSource = dataSource;
		this.applicationName = applicationName;
	}

	/**
	 * @return whether connections are opened outside the application's pool; {@code false} when they are
	 * borrowed from it
	 */
	public boolean isOutsidePool() {
		return hikari() != null;
	}

	@Override
	public Connection call() throws SQLException {
		HikariDataSource hikari = hikari();
		Connection connection = (hikari != null) ? open(hikari) : this.dataSource.getConnection();
		connection.setAutoCommit(true);
		return connection;
	}

	private Connection open(HikariDataSource hikari) throws SQLException {
		Connection connection;
		if (hikari.getJdbcUrl() != null) {
			Properties properties = new Properties();
			properties.putAll(hikari.getDataSourceProperties());
			if (hikari.getUsername() != null) {
				properties.setProperty("user", hikari.getUsername());
			}
			if (hikari.getPassword() != null) {
				properties.setProperty("password", hikari.getPassword());
			}
			if (hikari.getJdbcUrl().startsWith("jdbc:postgresql:")) {
				properties.setProperty("ApplicationName", this.applicationName);
			}
			connection = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
		}
		else if (hikari.getDataSource() != null) {
			connection = connect(hikari.getDataSource(), hikari);
		}
		else if (hikari.getDataSourceClassName() != null) {
			connection = connect(instantiate(hikari), hikari);
		}
		else {
			throw new SQLException("The Hikari pool has neither a JDBC URL nor a data source class name");
		}
		if (hikari.getSchema() != null) {
			connection.setSchema(hikari.getSchema());
		}
		return connection;
	}

	/**
	 * A data source of the pool's {@code dataSourceClassName}, set up with its data source properties as
	 * Hikari sets up its own.
	 */
	private static DataSource instantiate(HikariDataSource hikari) throws SQLException {
		try {
			Class<?> type = ClassUtils.forName(hikari.getDataSourceClassName(),
					DedicatedConnections.class.getClassLoader());
			DataSource created = (DataSource) BeanUtils.instantiateClass(type);
			BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(created);
			hikari.getDataSourceProperties().forEach((name, value) -> properties.setPropertyValue(name.toString(), value));
			return created;
		}
		catch (ClassNotFoundException | LinkageError | RuntimeException ex) {
			throw new SQLException("Could not create a " + hikari.getDataSourceClassName() + " for a connection"
					+ " outside the pool: " + ex.getMessage(), ex);
		}
	}

	private static Connection connect(DataSource dataSource, HikariDataSource hikari) throws SQLException {
		return (hikari.getUsername() != null) ? dataSource.getConnection(hikari.getUsername(), hikari.getPassword())
				: dataSource.getConnection();
	}

	private @Nullable HikariDataSource hikari() {
		try {
			return (hikariPresent && this.dataSource.isWrapperFor(HikariDataSource.class))
					? this.dataSource.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
