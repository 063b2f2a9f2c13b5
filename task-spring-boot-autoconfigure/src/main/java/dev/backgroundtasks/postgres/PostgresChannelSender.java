package dev.backgroundtasks.postgres;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * Sends {@code pg_notify} on one channel of the application's schema (read from the database once), on
 * pooled connections in autocommit: what {@link PostgresChannelListener}s of every node hear.
 */
public final class PostgresChannelSender {

	private static final ResultSetExtractor<@Nullable Void> IGNORE = (rs) -> null;

	private final JdbcTemplate jdbc;

	private final Function<@Nullable String, String> channelOfSchema;

	private volatile @Nullable String channel;

	/**
	 * @param jdbc sends the notifications, on the application's data source
	 * @param channelOfSchema the channel, from the schema of the application's tables
	 */
	public PostgresChannelSender(JdbcTemplate jdbc, Function<@Nullable String, String> channelOfSchema) {
		this.jdbc = jdbc;
		this.channelOfSchema = channelOfSchema;
	}

	/**
	 * @param payload the payload
	 */
	public void send(String payload) {
		this.jdbc.query("SELECT pg_notify(?, ?)", IGNORE, channel(), payload);
	}

	/**
	 * Sends several notifications in one statement, so one transaction: they are delivered together, in
	 * order, at commit.
	 * @param payloads the payloads, in order
	 */
	public void sendAll(List<String> payloads) {
		if (!payloads.isEmpty()) {
			this.jdbc.query("SELECT pg_notify(?, payload) FROM unnest(?::text[]) WITH ORDINALITY AS p (payload, n)"
					+ " ORDER BY n", IGNORE, channel(), payloads.toArray(String[]::new));
		}
	}

	private String channel() {
		String known = this.channel;
		if (known == null) {
			known = this.channelOfSchema.apply(this.jdbc.queryForObject("SELECT current_schema()", String.class));
			this.channel = known;
		}
		return known;
	}

}
