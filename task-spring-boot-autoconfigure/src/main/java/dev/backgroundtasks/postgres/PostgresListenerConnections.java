package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.util.ClassUtils;

/**
 * Opens the wake-up listener's dedicated connection: with the pool's own settings but outside it when
 * the data source is Hikari (Spring Boot's default), otherwise by borrowing one from the data source for
 * as long as it lives.
 */
public final class PostgresListenerConnections implements Callable<Connection> {

	private static final boolean hikariPresent = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			PostgresListenerConnections.class.getClassLoader());

	private final DataSource dataSource;

	private final String applicationName;

	public PostgresListenerConnections(DataSource dataSource, String applicationName) {
		this.dataSource = dataSource;
		this.applicationName = applicationName;
	}

	@Override
	public Connection call() throws SQLException {
		if (hikariPresent && this.dataSource.isWrapperFor(HikariDataSource.class)) {
			HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
			Properties properties = new Properties();
			properties.putAll(hikari.getDataSourceProperties());
			if (hikari.getUsername() != null) {
				properties.setProperty("user", hikari.getUsername());
			}
			if (hikari.getPassword() != null) {
				properties.setProperty("password", hikari.getPassword());
			}
			properties.setProperty("ApplicationName", this.applicationName);
			Connection connection = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
			if (hikari.getSchema() != null) {
				connection.setSchema(hikari.getSchema());
			}
			connection.setAutoCommit(true);
			return connection;
		}
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(true);
		return connection;
	}

}
