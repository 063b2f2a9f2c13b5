package dev.backgroundtasks.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;

/**
 * Wakes this node's worker when another node submits work: {@code LISTEN}s on the channel that the
 * {@code bgt_execution} insert trigger notifies, on one dedicated connection outside the pool (a pooled
 * connection could be handed to someone else). When the connection breaks (database restart,
 * {@code pg_terminate_backend}) it reconnects and listens again, and wakes the worker once, since
 * notifications may have been missed meanwhile; polling remains the fallback.
 */
public class PostgresWakeUpListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresWakeUpListener.class);

	private static final int WAIT_MILLIS = 500;

	private final boolean enabled;

	private final Callable<Connection> connections;

	private final WorkSignal signal;

	private final Duration reconnectDelay;

	private volatile boolean running;

	private volatile @Nullable Connection connection;

	private @Nullable Thread thread;

	/**
	 * @param enabled whether the database is PostgreSQL, so there is something to listen to
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param signal the local worker's wake-up signal
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 */
	public PostgresWakeUpListener(boolean enabled, Callable<Connection> connections, WorkSignal signal,
			Duration reconnectDelay) {
		this.enabled = enabled;
		this.connections = connections;
		this.signal = signal;
		this.reconnectDelay = reconnectDelay;
	}

	@Override
	public synchronized void start() {
		if (!this.enabled) {
			return;
		}
		this.running = true;
		Thread listener = new Thread(this::listen, "bgt-listener");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	private void listen() {
		boolean reconnecting = false;
		while (this.running) {
			try (Connection listening = this.connections.call()) {
				this.connection = listening;
				String channel = channel(listening);
				try (Statement statement = listening.createStatement()) {
					statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
				}
				if (reconnecting) {
					logger.info("Listening for background task wake-ups on '" + channel + "' again");
					this.signal.wake();
				}
				reconnecting = true;
				PGConnection notifications = listening.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					if (received != null && received.length > 0) {
						this.signal.wake();
					}
				}
			}
			catch (Exception ex) {
				if (this.running) {
					logger.warn("Background task wake-up listener lost its connection; reconnecting in "
							+ this.reconnectDelay + " (polling meanwhile): " + ex);
					pause();
				}
			}
			finally {
				this.connection = null;
			}
		}
	}

	/**
	 * @param connection a connection to the application's database
	 * @return the channel the insert trigger notifies for the connection's schema
	 * @throws SQLException when the schema cannot be read
	 */
	static String channel(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				var result = statement.executeQuery("SELECT current_schema()")) {
			result.next();
			return "bgt_ready:" + result.getString(1);
		}
	}

	private void pause() {
		try {
			Thread.sleep(this.reconnectDelay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			try {
				listener.join(WAIT_MILLIS * 4L);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
