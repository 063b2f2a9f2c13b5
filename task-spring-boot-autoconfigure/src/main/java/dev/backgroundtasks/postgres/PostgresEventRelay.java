package dev.backgroundtasks.postgres;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;

import dev.backgroundtasks.event.ClusterEventCodec;
import dev.backgroundtasks.event.EventStreamSubscriptionListener;
import dev.backgroundtasks.event.ExecutionEventSink;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Receives the events of every node of the cluster: listens on {@code bgt_events:<schema>} and passes
 * what arrives to the local event stream. Events sent while it reconnects are missed (the stream's
 * clients can read the current state over REST), so after a reconnect the stream forgets the events it
 * keeps for replay: a client that resumes is told that it missed some. While the local stream has clients it tells the cluster
 * so ({@link PostgresStreamInterest}), on the same connection, since nodes send events only then.
 */
public class PostgresEventRelay extends PostgresChannelListener implements EventStreamSubscriptionListener {

	private static final Log logger = LogFactory.getLog(PostgresEventRelay.class);

	private final ClusterEventCodec codec;

	private final ExecutionEventSink target;

	private final PostgresStreamInterest interest;

	private final IntSupplier clients;

	private final Runnable forgetRecent;

	/**
	 * @param connections opens a dedicated connection to the application's database and schema
	 * @param codec decodes payloads
	 * @param target receives the events
	 * @param interest whether any node streams; told and asked on the same connection
	 * @param clients how many clients the local stream has
	 * @param forgetRecent makes the local stream forget the events it keeps for replay
	 * @param reconnectDelay how long to wait before reconnecting after a failure
	 * @param checkInterval how often the connection is checked, and how long a check may wait for an answer
	 */
	public PostgresEventRelay(Callable<Connection> connections, ClusterEventCodec codec, ExecutionEventSink target,
			PostgresStreamInterest interest, IntSupplier clients, Runnable forgetRecent, Duration reconnectDelay,
			Duration checkInterval) {
		super("bgt-event-relay", connections, PostgresEventNotifier::channelOf, reconnectDelay, checkInterval);
		this.codec = codec;
		this.target = target;
		this.interest = interest;
		this.clients = clients;
		this.forgetRecent = forgetRecent;
		alsoListen(interest);
	}

	/**
	 * Told when announcements resume after a lapse: some node may have stopped sending meanwhile, so the
	 * events kept for replay may have gaps and are forgotten.
	 */
	public void announcementsResumed() {
		this.forgetRecent.run();
	}

	/**
	 * Tells the cluster that the local stream has clients, if it has.
	 */
	public void announceIfStreaming() {
		if (this.clients.getAsInt() > 0) {
			announce();
		}
	}

	@Override
	protected void idle() {
		if (this.clients.getAsInt() > 0 && this.interest.announcementDue()) {
			announce();
		}
	}

	@Override
	public void beforeSubscribe() {
		announce();
	}

	/**
	 * Tells the cluster that the local stream has clients (or is about to); a failure is logged.
	 */
	public void announce() {
		try {
			this.interest.announce();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not announce the event stream's clients to the cluster: " + ex);
		}
	}

	@Override
	protected void reconnected() {
		this.forgetRecent.run();
	}

	@Override
	protected void received(List<String> payloads) {
		for (String payload : payloads) {
			try {
				this.codec.decode(payload, this.target);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not relay background task events: " + ex);
			}
		}
	}

}
