package dev.backgroundtasks.postgres;

import java.util.List;

import dev.backgroundtasks.event.ClusterEventCodec;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sends this node's events to every node (itself included) with {@code pg_notify} on the channel
 * {@code bgt_events:<schema>}, one notification per batch of events rather than one per event.
 * Notifications are delivered in commit order, so every node sees the cluster's events in the same
 * order. Sends only while some node streams events to clients ({@link PostgresStreamInterest}).
 */
public class PostgresEventNotifier implements ExecutionEventSink {

	private final PostgresChannelSender sender;

	private final ClusterEventCodec codec;

	private final PostgresStreamInterest interest;

	/**
	 * @param jdbc sends the notifications, on the application's data source
	 * @param codec encodes the events
	 * @param interest whether any node streams events now
	 */
	public PostgresEventNotifier(JdbcTemplate jdbc, ClusterEventCodec codec, PostgresStreamInterest interest) {
		this.sender = new PostgresChannelSender(jdbc, PostgresEventNotifier::channelOf);
		this.codec = codec;
		this.interest = interest;
	}

	@Override
	public void accept(List<SequencedEvent> events) {
		if (!this.interest.wanted()) {
			return;
		}
		this.sender.sendAll(this.codec.encode(events));
	}

	/**
	 * Tells every node's stream that this node dropped events (while some node streams).
	 */
	@Override
	public void dropped(long count) {
		if (this.interest.wanted()) {
			this.sender.send(this.codec.encodeDropped(count));
		}
	}

	/**
	 * @param schema the schema of the application's tables
	 * @return the channel events of that schema go to
	 */
	public static String channelOf(@Nullable String schema) {
		return "bgt_events:" + schema;
	}

	@Override
	public String toString() {
		return "PostgreSQL NOTIFY";
	}

}
