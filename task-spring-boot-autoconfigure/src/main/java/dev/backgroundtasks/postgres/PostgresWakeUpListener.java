package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.backgroundtasks.support.WorkSignal;


/**
 * Wakes this node's worker when another node submits work: listens on the channel that
 * {@link PostgresReadyNotifier} notifies ({@code bgt_ready:<schema>}) and ignores this node's own
 * notifications. After a reconnect (a database restart, a connection that failed its check) it wakes the
 * worker once, so that it looks for the work whose notifications were missed; polling remains the
 * fallback.
 */
public class PostgresWakeUpListener extends PostgresChannelListener {

	private final WorkSignal signal;

	private final String node;

	/**
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param signal the local worker's wake-up signal
	 * @param node this node's name: its own notifications (it woke itself already) are ignored
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 * @param checkInterval how often the connection is checked, and how long a check may wait for an answer
	 * @param interest told what is heard about stream clients, on the same connection, so this node sends
	 * its events only while some node streams
	 */
	public PostgresWakeUpListener(Callable<Connection> connections, WorkSignal signal, String node,
			Duration reconnectDelay, Duration checkInterval, PostgresStreamInterest interest) {
		super("bgt-listener", connections, PostgresReadyNotifier::channelOf, reconnectDelay, checkInterval);
		this.signal = signal;
		this.node = node;
		alsoListen(interest);
	}

	@Override
	protected void received(List<String> payloads) {
		for (String payload : payloads) {
			if (!payload.equals(this.node)) {
				this.signal.wake();
				return;
			}
		}
	}

	@Override
	protected void reconnected() {
		this.signal.wake();
	}

}
