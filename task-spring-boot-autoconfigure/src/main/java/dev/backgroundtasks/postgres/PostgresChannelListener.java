package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;

/**
 * {@code LISTEN}s on one PostgreSQL channel of the application's schema, on one dedicated connection
 * outside the pool (a pooled connection could be handed to someone else), and hands what arrives to
 * {@link #received}. When the connection breaks (database restart, {@code pg_terminate_backend}) it
 * reconnects, listens again and calls {@link #reconnected}, since notifications may have been missed.
 */
public abstract class PostgresChannelListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresChannelListener.class);

	private static final int WAIT_MILLIS = 500;

	private final String name;

	private final Callable<Connection> connections;

	private final Function<String, String> channelOfSchema;

	private final Duration reconnectDelay;

	private final List<ChannelSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	private volatile boolean listening;

	private @Nullable Thread thread;

	/**
	 * @param name names the listening thread and the log lines
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param channelOfSchema the channel to listen on, from the connection's current schema
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 */
	protected PostgresChannelListener(String name, Callable<Connection> connections,
			Function<String, String> channelOfSchema, Duration reconnectDelay) {
		this.name = name;
		this.connections = connections;
		this.channelOfSchema = channelOfSchema;
		this.reconnectDelay = reconnectDelay;
	}

	/**
	 * Called on the listening thread with the payloads of the notifications that arrived together.
	 * @param payloads the payloads, never empty
	 */
	protected abstract void received(List<String> payloads);

	/**
	 * Called on the listening thread after listening again on a new connection.
	 */
	protected void reconnected() {
	}

	/**
	 * Called on the listening thread about twice a second while it listens.
	 */
	protected void idle() {
	}

	/**
	 * Listens on a further channel on the same connection; call before {@link #start()}.
	 * @param subscription the channel and what to do with its payloads
	 */
	public void alsoListen(ChannelSubscription subscription) {
		this.subscriptions.add(subscription);
	}

	/**
	 * @return whether it is listening now
	 */
	public boolean isListening() {
		return this.listening;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		Thread listener = new Thread(this::listen, this.name);
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	private void listen() {
		boolean again = false;
		while (this.running) {
			try (Connection connection = this.connections.call()) {
				String channel;
				Map<String, ChannelSubscription> others = new LinkedHashMap<>();
				try (Statement statement = connection.createStatement();
						ResultSet schema = statement.executeQuery("SELECT current_schema()")) {
					schema.next();
					channel = this.channelOfSchema.apply(schema.getString(1));
					for (ChannelSubscription subscription : this.subscriptions) {
						others.put(subscription.channelOf(schema.getString(1)), subscription);
					}
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + quoted(channel));
					for (String other : others.keySet()) {
						statement.execute("LISTEN " + quoted(other));
					}
					for (Map.Entry<String, ChannelSubscription> other : others.entrySet()) {
						other.getValue().listening(statement, other.getKey());
					}
				}
				this.listening = true;
				if (again) {
					logger.info(this.name + " listening on '" + channel + "' again");
					reconnected();
				}
				again = true;
				PGConnection notifications = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					if (received != null && received.length > 0) {
						dispatch(received, others);
					}
					idle();
				}
			}
			catch (Exception ex) {
				this.listening = false;
				if (this.running) {
					logger.warn(this.name + " lost its connection; reconnecting in " + this.reconnectDelay + ": " + ex);
					pause();
				}
			}
		}
		this.listening = false;
	}

	private void dispatch(PGNotification[] received, Map<String, ChannelSubscription> others) {
		List<String> payloads = new ArrayList<>(received.length);
		for (PGNotification notification : received) {
			ChannelSubscription other = others.get(notification.getName());
			if (other == null) {
				payloads.add(notification.getParameter());
				continue;
			}
			// In order: what arrived on the main channel before it first.
			if (!payloads.isEmpty()) {
				received(List.copyOf(payloads));
				payloads.clear();
			}
			other.received(notification.getParameter());
		}
		if (!payloads.isEmpty()) {
			received(payloads);
		}
	}

	/**
	 * @param channel a channel name
	 * @return it as a quoted identifier, for {@code LISTEN} and {@code NOTIFY}
	 */
	public static String quoted(String channel) {
		return "\"" + channel.replace("\"", "\"\"") + "\"";
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
