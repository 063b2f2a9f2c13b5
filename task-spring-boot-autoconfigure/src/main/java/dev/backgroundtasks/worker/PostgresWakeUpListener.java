package dev.backgroundtasks.worker;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.backgroundtasks.execution.PostgresChannelListener;

/**
 * Wakes this node's worker when another node submits work: listens on the channel that the
 * {@code bgt_execution} insert trigger notifies ({@code bgt_ready:<schema>}, migration V5). After a
 * reconnect it wakes the worker once, as notifications may have been missed; polling remains the
 * fallback.
 */
public class PostgresWakeUpListener extends PostgresChannelListener {

	private final WorkSignal signal;

	/**
	 * @param enabled whether the database is PostgreSQL, so there is something to listen to
	 * @param connections opens a new dedicated connection to the application's database and schema
	 * @param signal the local worker's wake-up signal
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 */
	public PostgresWakeUpListener(boolean enabled, Callable<Connection> connections, WorkSignal signal,
			Duration reconnectDelay) {
		super("bgt-listener", enabled, connections, (schema) -> "bgt_ready:" + schema, reconnectDelay);
		this.signal = signal;
	}

	@Override
	protected void received(List<String> payloads) {
		this.signal.wake();
	}

	@Override
	protected void reconnected() {
		this.signal.wake();
	}

}
