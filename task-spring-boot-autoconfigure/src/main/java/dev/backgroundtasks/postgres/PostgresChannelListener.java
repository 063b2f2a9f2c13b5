package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * {@link #received}. Every check interval it sends {@code SELECT 1} and waits at most that long for the
 * answer (the connection's network timeout), since a connection whose network path died silently (a
 * NAT or firewall dropping it as idle, a pulled cable) would otherwise wait for notifications forever;
 * the traffic also keeps such devices from dropping it. When the connection breaks or fails a check it
 * is aborted, and the listener reconnects, listens again and calls {@link #reconnected}, since
 * notifications may have been missed.
 */
public abstract class PostgresChannelListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresChannelListener.class);

	private static final int WAIT_MILLIS = 500;

	private static final Duration MAX_CHECK_INTERVAL = Duration.ofMillis(Integer.MAX_VALUE);

	private final String name;

	private final Callable<Connection> connections;

	private final Function<String, String> channelOfSchema;

	private final Duration reconnectDelay;

	private final Duration checkInterval;

	private final List<ChannelSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	private volatile boolean listening;

	private @Nullable Thread thread;

	private volatile @Nullable ListenerConnection connection;

	/**
	 * @param name names the listening thread and the log lines
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param channelOfSchema the channel to listen on, from the connection's current schema
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 * @param checkInterval how often the connection is checked, and how long a check (any statement on
	 * it) may wait for an answer; positive
	 */
	protected PostgresChannelListener(String name, Callable<Connection> connections,
			Function<String, String> channelOfSchema, Duration reconnectDelay, Duration checkInterval) {
		if (!isCheckInterval(checkInterval)) {
			throw new IllegalArgumentException("The check interval of a listening connection must be from 1ms to "
					+ MAX_CHECK_INTERVAL + ", not " + checkInterval);
		}
		this.name = name;
		this.connections = connections;
		this.channelOfSchema = channelOfSchema;
		this.reconnectDelay = reconnectDelay;
		this.checkInterval = checkInterval;
	}

	/**
	 * @param checkInterval a check interval
	 * @return whether a listener accepts it: from 1 ms to {@link Integer#MAX_VALUE} ms (a network timeout)
	 */
	public static boolean isCheckInterval(Duration checkInterval) {
		return checkInterval.compareTo(Duration.ofMillis(1)) >= 0 && checkInterval.compareTo(MAX_CHECK_INTERVAL) <= 0;
	}

	/**
	 * Called on the listening thread with the payloads of the notifications that arrived together.
	 * @param payloads the payloads, never empty
	 */
	protected abstract void received(List<String> payloads);

	/**
	 * Called on the listening thread when it listens after a failure (of the connection, a check, or the
	 * first attempt to connect): notifications sent meanwhile were missed, so catch up.
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
		boolean missed = false;
		boolean failing = false;
		while (this.running) {
			ListenerConnection connection = null;
			try {
				connection = ListenerConnection.open(this.connections, this.checkInterval);
				this.connection = connection;
				Map<String, ChannelSubscription> others = new LinkedHashMap<>();
				String channel = listenOn(connection.connection(), others);
				this.listening = true;
				if (missed) {
					logger.info(this.name + " listening on '" + channel + "' again");
					reconnected();
					missed = false;
				}
				failing = false;
				receive(connection, others);
				this.listening = false;
				connection.close();
			}
			catch (Exception ex) {
				this.listening = false;
				missed = true;
				if (connection != null) {
					connection.discard();
				}
				if (this.running) {
					// Once per outage; the attempts to reconnect meanwhile at debug level.
					String message = this.name + " lost its connection; reconnecting in " + this.reconnectDelay + ": " + ex;
					if (failing) {
						logger.debug(message);
					}
					else {
						logger.warn(message);
					}
					failing = true;
					pause();
				}
			}
			finally {
				this.connection = null;
			}
		}
		this.listening = false;
	}

	/**
	 * Listens on the channels of the connection's current schema.
	 * @return the main channel
	 */
	private String listenOn(Connection connection, Map<String, ChannelSubscription> others) throws SQLException {
		String channel;
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
		return channel;
	}

	/**
	 * Hands on what arrives, and checks the connection every check interval, until stopped.
	 * @throws SQLException when the connection broke or failed a check
	 */
	private void receive(ListenerConnection connection, Map<String, ChannelSubscription> others)
			throws SQLException {
		PGConnection notifications = connection.connection().unwrap(PGConnection.class);
		long checkNanos = this.checkInterval.toNanos();
		long nextCheck = System.nanoTime() + checkNanos;
		while (this.running) {
			PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
			if (received != null && received.length > 0) {
				dispatch(received, others);
			}
			idle();
			if (System.nanoTime() - nextCheck >= 0) {
				connection.check();
				nextCheck = System.nanoTime() + checkNanos;
			}
		}
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
			ListenerConnection connection = this.connection;
			if (listener.isAlive() && connection != null) {
				// Still waiting for an answer that may never come: do not leave the connection open.
				connection.discard();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
