package dev.backgroundtasks.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeansException;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.util.ClassUtils;

/**
 * Opens connections to the application's database outside its pool, for work that must never queue
 * behind the application for a pooled connection (the heartbeat that keeps leases, the LISTEN of
 * cluster wake-ups). With Hikari (Spring Boot's default) it uses the pool's own settings, chosen in the
 * order Hikari chooses them: its data source, else its {@code dataSourceClassName} with its data source
 * properties, else its JDBC URL; the connect gives up after the pool's connection timeout, as the pool's
 * own do. With any other data source, or a Hikari pool that looks its data source up in JNDI, it borrows a
 * connection from it, for as long as the caller keeps it ({@link #isOutsidePool()} tells which).
 */
public final class DedicatedConnections implements Callable<Connection> {

	private static final boolean hikariPresent = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DedicatedConnections.class.getClassLoader());

	private static final String POSTGRES_URL = "jdbc:postgresql:";

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
		DataSource given = hikari.getDataSource();
		if (given != null) {
			// Hikari set its login timeout already.
			connection = connect(given, hikari);
			nameApplication(connection);
		}
		else if (hikari.getDataSourceClassName() != null) {
			connection = connect(instantiate(hikari), hikari);
			nameApplication(connection);
		}
		else {
			connection = DriverManager.getConnection(hikari.getJdbcUrl(), driverProperties(hikari));
		}
		if (hikari.getSchema() != null) {
			connection.setSchema(hikari.getSchema());
		}
		return connection;
	}

	private Properties driverProperties(HikariDataSource hikari) {
		Properties properties = new Properties();
		properties.putAll(hikari.getDataSourceProperties());
		if (hikari.getUsername() != null) {
			properties.setProperty("user", hikari.getUsername());
		}
		if (hikari.getPassword() != null) {
			properties.setProperty("password", hikari.getPassword());
		}
		if (hikari.getJdbcUrl().startsWith(POSTGRES_URL)) {
			properties.setProperty("ApplicationName", this.applicationName);
			int loginTimeout = loginTimeoutSeconds(hikari);
			if (loginTimeout > 0 && !properties.containsKey("loginTimeout")) {
				// Per connection: DriverManager's login timeout is global (Hikari sets it too, once).
				properties.setProperty("loginTimeout", Integer.toString(loginTimeout));
			}
		}
		return properties;
	}

	/**
	 * A data source of the pool's {@code dataSourceClassName}, set up with its data source properties as
	 * Hikari sets up its own.
	 */
	private DataSource instantiate(HikariDataSource hikari) throws SQLException {
		String className = hikari.getDataSourceClassName();
		Class<?> type;
		try {
			type = ClassUtils.forName(className, DedicatedConnections.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new SQLException("The Hikari pool's dataSourceClassName " + className + " is not on the class path,"
					+ " so no connection can be opened outside the pool", ex);
		}
		if (!DataSource.class.isAssignableFrom(type)) {
			throw new SQLException("The Hikari pool's dataSourceClassName " + className + " is not a javax.sql.DataSource");
		}
		DataSource created;
		try {
			created = (DataSource) BeanUtils.instantiateClass(type);
		}
		catch (BeansException ex) {
			throw new SQLException("Could not create a " + className + " (the Hikari pool's dataSourceClassName): "
					+ ex.getMessage(), ex);
		}
		BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(created);
		for (Map.Entry<Object, Object> property : hikari.getDataSourceProperties().entrySet()) {
			String name = property.getKey().toString();
			try {
				properties.setPropertyValue(name, property.getValue());
			}
			catch (BeansException ex) {
				throw new SQLException("Could not set the data source property '" + name + "' of " + className
						+ " (the Hikari pool's dataSourceClassName): " + ex.getMessage(), ex);
			}
		}
		int loginTimeout = loginTimeoutSeconds(hikari);
		if (loginTimeout > 0) {
			try {
				created.setLoginTimeout(loginTimeout);
			}
			catch (SQLException | UnsupportedOperationException ex) {
				// As for Hikari: the driver's own timeouts apply.
			}
		}
		return created;
	}

	/**
	 * The login timeout that Hikari gives its own data source: its connection timeout, rounded up to
	 * whole seconds; 0 for none.
	 */
	private static int loginTimeoutSeconds(HikariDataSource hikari) {
		long millis = hikari.getConnectionTimeout();
		if (millis <= 0 || millis >= Integer.MAX_VALUE) {
			return 0;
		}
		return (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(millis + 500));
	}

	private static Connection connect(DataSource dataSource, HikariDataSource hikari) throws SQLException {
		return (hikari.getUsername() != null) ? dataSource.getConnection(hikari.getUsername(), hikari.getPassword())
				: dataSource.getConnection();
	}

	/**
	 * Names a connection that the pool's data source opened (its settings are the pool's, so the name
	 * cannot be one of them): PostgreSQL sets {@code application_name}; drivers that know no such client
	 * info keep their name.
	 */
	private void nameApplication(Connection connection) throws SQLException {
		try {
			connection.setClientInfo("ApplicationName", this.applicationName);
		}
		catch (SQLClientInfoException ex) {
			// Not supported by this driver.
		}
	}

	private @Nullable HikariDataSource hikari() {
		try {
			if (!hikariPresent || !this.dataSource.isWrapperFor(HikariDataSource.class)) {
				return null;
			}
			HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
			// A pool that looks its data source up in JNDI: borrow, as from any other data source.
			return (hikari.getDataSource() != null || hikari.getDataSourceClassName() != null
					|| hikari.getJdbcUrl() != null) ? hikari : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
