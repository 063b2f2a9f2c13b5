package dev.backgroundtasks.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A data source of one connection outside the application's pool (see {@link DedicatedConnections}), for
 * one thread of the engine's own that must never wait for a pooled connection. Every statement on it
 * waits at most the network timeout for the server, so a connection whose path died silently fails
 * instead of blocking; {@link #resetConnection()} after a failure makes the next use open a new one.
 */
public final class DedicatedDataSource extends SingleConnectionDataSource {

	private static final Log logger = LogFactory.getLog(DedicatedDataSource.class);

	private static final Executor ABORTS = Runnable::run;

	private final DedicatedConnections connections;

	private final Duration networkTimeout;

	/**
	 * @param connections opens the connection
	 * @param networkTimeout how long a statement may wait for the server
	 */
	public DedicatedDataSource(DedicatedConnections connections, Duration networkTimeout) {
		this.connections = connections;
		this.networkTimeout = networkTimeout;
		// Only checked for being set: connections come from getConnectionFromDriver, not from this URL.
		setUrl("jdbc:dedicated-outside-the-pool");
		setSuppressClose(true);
		setAutoCommit(true);
	}

	@Override
	protected Connection getConnectionFromDriver(@Nullable String username, @Nullable String password)
			throws SQLException {
		Connection connection = this.connections.call();
		try {
			connection.setNetworkTimeout(ABORTS, (int) Math.min(Integer.MAX_VALUE, this.networkTimeout.toMillis()));
		}
		catch (SQLException | UnsupportedOperationException ex) {
			logger.debug("The dedicated connection takes no network timeout", ex);
		}
		return connection;
	}

}
