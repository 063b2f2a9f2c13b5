package dev.backgroundtasks.event;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.backgroundtasks.execution.PostgresChannelListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Receives the events of every node of the cluster: listens on {@code bgt_events:<schema>} and passes
 * what arrives to the local event stream. Events sent while it reconnects are missed (the stream's
 * clients can read the current state over REST).
 */
public class PostgresEventRelay extends PostgresChannelListener {

	private static final Log logger = LogFactory.getLog(PostgresEventRelay.class);

	private final ClusterEventCodec codec;

	private final ExecutionEventSink target;

	/**
	 * @param enabled whether the database is PostgreSQL, so there is something to listen to
	 * @param connections opens a dedicated connection to the application's database and schema
	 * @param codec decodes payloads
	 * @param target receives the events
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 */
	public PostgresEventRelay(boolean enabled, Callable<Connection> connections, ClusterEventCodec codec,
			ExecutionEventSink target, Duration reconnectDelay) {
		super("bgt-event-relay", enabled, connections, PostgresEventNotifier::channelOf, reconnectDelay);
		this.codec = codec;
		this.target = target;
	}

	@Override
	protected void received(List<String> payloads) {
		for (String payload : payloads) {
			try {
				List<SequencedEvent> events = this.codec.decode(payload);
				this.target.accept(events);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not relay background task events: " + ex);
			}
		}
	}

}
