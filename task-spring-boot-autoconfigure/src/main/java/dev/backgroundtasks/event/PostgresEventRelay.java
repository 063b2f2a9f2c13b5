package dev.backgroundtasks.event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;

/**
 * Receives the events of every node of the cluster: {@code LISTEN}s on {@code bgt_events:<schema>} on
 * a dedicated connection outside the pool and passes what arrives to the local event stream. When the
 * connection breaks it reconnects; events sent meanwhile are missed (the stream's clients can read the
 * current state over REST).
 */
public class PostgresEventRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresEventRelay.class);

	private static final int WAIT_MILLIS = 500;

	private final boolean enabled;

	private final Callable<Connection> connections;

	private final ClusterEventCodec codec;

	private final ExecutionEventSink target;

	private final Duration reconnectDelay;

	private volatile boolean running;

	private volatile boolean listening;

	private @Nullable Thread thread;

	/**
	 * @param enabled whether the database is PostgreSQL, so there is something to listen to
	 * @param connections opens a dedicated connection to the application's database and schema
	 * @param codec decodes payloads
	 * @param target receives the events
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 */
	public PostgresEventRelay(boolean enabled, Callable<Connection> connections, ClusterEventCodec codec, ExecutionEventSink target,
			Duration reconnectDelay) {
		this.enabled = enabled;
		this.connections = connections;
		this.codec = codec;
		this.target = target;
		this.reconnectDelay = reconnectDelay;
	}

	@Override
	public synchronized void start() {
		if (!this.enabled) {
			return;
		}
		this.running = true;
		Thread relay = new Thread(this::listen, "bgt-event-relay");
		relay.setDaemon(true);
		this.thread = relay;
		relay.start();
	}

	/**
	 * @return whether the relay is listening now
	 */
	public boolean isListening() {
		return this.listening;
	}

	private void listen() {
		while (this.running) {
			try (Connection connection = this.connections.call()) {
				String channel;
				try (Statement statement = connection.createStatement();
						ResultSet schema = statement.executeQuery("SELECT current_schema()")) {
					schema.next();
					channel = PostgresEventNotifier.channelOf(schema.getString(1));
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
				}
				this.listening = true;
				PGConnection notifications = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					if (received != null) {
						for (PGNotification notification : received) {
							relay(notification.getParameter());
						}
					}
				}
			}
			catch (Exception ex) {
				this.listening = false;
				if (this.running) {
					logger.warn("Background task event relay lost its connection; reconnecting in "
							+ this.reconnectDelay + ": " + ex);
					pause();
				}
			}
		}
		this.listening = false;
	}

	private void relay(String payload) {
		try {
			List<SequencedEvent> events = this.codec.decode(payload);
			this.target.accept(events);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not relay background task events: " + ex);
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
		Thread relay = this.thread;
		if (relay != null) {
			try {
				relay.join(WAIT_MILLIS * 4L);
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
