package dev.backgroundtasks.event;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * Sends this node's events to every node (itself included) with {@code pg_notify} on the channel
 * {@code bgt_events:<schema>}, one notification per batch of events rather than one per event.
 * Notifications are delivered in commit order, so every node sees the cluster's events in the same
 * order. Sends only while some node streams events to clients ({@link PostgresStreamInterest}).
 */
public class PostgresEventNotifier implements ExecutionEventSink {

	private static final ResultSetExtractor<@Nullable Void> IGNORE = (rs) -> null;

	private final JdbcTemplate jdbc;

	private final ClusterEventCodec codec;

	private final PostgresStreamInterest interest;

	private volatile @Nullable String channel;

	/**
	 * @param jdbc sends the notifications, on the application's data source
	 * @param codec encodes the events
	 * @param interest whether any node streams events now
	 */
	public PostgresEventNotifier(JdbcTemplate jdbc, ClusterEventCodec codec, PostgresStreamInterest interest) {
		this.jdbc = jdbc;
		this.codec = codec;
		this.interest = interest;
	}

	@Override
	public void accept(List<SequencedEvent> events) {
		if (!this.interest.wanted()) {
			return;
		}
		String target = channel();
		List<String> payloads = this.codec.encode(events);
		if (payloads.isEmpty()) {
			return;
		}
		// One statement, so one transaction: its notifications are delivered together, in order, at commit.
		this.jdbc.query("SELECT pg_notify(?, payload) FROM unnest(?::text[]) WITH ORDINALITY AS p (payload, n)"
				+ " ORDER BY n", IGNORE, target, payloads.toArray(String[]::new));
	}

	private String channel() {
		String known = this.channel;
		if (known == null) {
			known = channelOf(this.jdbc.queryForObject("SELECT current_schema()", String.class));
			this.channel = known;
		}
		return known;
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
