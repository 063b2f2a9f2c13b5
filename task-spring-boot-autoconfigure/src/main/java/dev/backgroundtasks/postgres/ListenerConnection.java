package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The connection that a {@link PostgresChannelListener} listens on: every wait for the server is bounded
 * by the check interval (the connection's network timeout), so a network path that died silently shows
 * as a failed statement instead of an endless wait; {@link #check()} sends a cheap round trip; a
 * connection that failed is {@link #discard() discarded} without waiting for the network.
 */
final class ListenerConnection {

	private static final Log logger = LogFactory.getLog(ListenerConnection.class);

	/** What a driver may hand work to when a network timeout elapses (pgjdbc needs none). */
	private static final Executor TIMEOUTS = (command) -> {
		Thread thread = new Thread(command, "bgt-listener-timeout");
		thread.setDaemon(true);
		thread.start();
	};

	private static final AtomicBoolean unboundedReported = new AtomicBoolean();

	private final Connection connection;

	private final Duration checkInterval;

	private final int networkTimeout;

	private ListenerConnection(Connection connection, Duration checkInterval, int networkTimeout) {
		this.connection = connection;
		this.checkInterval = checkInterval;
		this.networkTimeout = networkTimeout;
	}

	/**
	 * @param connections opens the connection
	 * @param checkInterval how long any statement may wait for the server; at most
	 * {@link Integer#MAX_VALUE} milliseconds
	 * @return the connection opened, its waits bounded
	 * @throws Exception when it cannot be opened
	 */
	static ListenerConnection open(Callable<Connection> connections, Duration checkInterval) throws Exception {
		Connection connection = connections.call();
		try {
			int networkTimeout = connection.getNetworkTimeout();
			connection.setNetworkTimeout(TIMEOUTS, (int) checkInterval.toMillis());
			return new ListenerConnection(connection, checkInterval, networkTimeout);
		}
		catch (SQLFeatureNotSupportedException ex) {
			if (unboundedReported.compareAndSet(false, true)) {
				logger.warn("The listening connection does not support a network timeout, so a network path that"
						+ " dies silently may go unnoticed: " + ex);
			}
			return new ListenerConnection(connection, checkInterval, -1);
		}
		catch (SQLException | RuntimeException ex) {
			discard(connection);
			throw ex;
		}
	}

	Connection connection() {
		return this.connection;
	}

	/**
	 * Sends {@code SELECT 1} and waits for the answer, for the check interval at most.
	 * @throws SQLException when no answer came
	 */
	void check() throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("SELECT 1");
		}
		catch (SQLException ex) {
			throw new SQLException("The connection failed its check (SELECT 1, answer awaited for "
					+ this.checkInterval + "): " + ex.getMessage(), ex.getSQLState(), ex);
		}
	}

	/**
	 * Closes the connection after use; one borrowed from a pool goes back as it came.
	 * @throws SQLException when it cannot be closed
	 */
	void close() throws SQLException {
		if (this.networkTimeout >= 0) {
			this.connection.setNetworkTimeout(TIMEOUTS, this.networkTimeout);
		}
		this.connection.close();
	}

	/**
	 * Closes the connection after a failure without waiting for the network.
	 */
	void discard() {
		discard(this.connection);
	}

	/**
	 * Aborted, a connection closes its socket at once (here in this thread, so that the close that
	 * follows only hands a borrowed connection back to its pool).
	 */
	private static void discard(Connection connection) {
		try {
			connection.abort(Runnable::run);
		}
		catch (SQLException | RuntimeException ex) {
			// Closed below, or already.
		}
		try {
			connection.close();
		}
		catch (SQLException | RuntimeException ex) {
			// Broken anyway.
		}
	}

}
