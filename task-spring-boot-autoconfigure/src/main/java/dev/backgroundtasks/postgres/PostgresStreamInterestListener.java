package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;


/**
 * Listens on {@link PostgresStreamInterest}'s channel for a node that has no other listening connection
 * (no worker, no REST event stream): without one it could not hear whether any node streams events, so
 * it would send every event it makes (every submission's, on a node that only submits) for nobody.
 */
public class PostgresStreamInterestListener extends PostgresChannelListener {

	private final BooleanSupplier needed;

	/**
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param interest told what is heard on its channel
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 * @param checkInterval how often the connection is checked, and how long a check may wait for an answer
	 * @param needed asked at start: whether no other connection of this node listens to the interest
	 */
	public PostgresStreamInterestListener(Callable<Connection> connections,
			PostgresStreamInterest interest, Duration reconnectDelay, Duration checkInterval, BooleanSupplier needed) {
		super("bgt-stream-interest", connections, PostgresStreamInterest::channelName, reconnectDelay, checkInterval);
		this.needed = needed;
		// Subscribed on the listener's own channel: every payload goes to the interest, which also asks.
		alsoListen(interest);
	}

	@Override
	public synchronized void start() {
		if (this.needed.getAsBoolean()) {
			super.start();
		}
	}

	@Override
	protected void received(List<String> payloads) {
		// Not called: the interest, subscribed to the same channel, gets every payload.
	}

}
