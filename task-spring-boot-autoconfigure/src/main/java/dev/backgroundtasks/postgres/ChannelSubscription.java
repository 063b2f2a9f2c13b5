package dev.backgroundtasks.postgres;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * A further channel that a {@link PostgresChannelListener} listens on, on the same connection, for
 * another part of the node.
 */
public interface ChannelSubscription {

	/**
	 * @param schema the connection's current schema
	 * @return the channel to listen on
	 */
	String channelOf(String schema);

	/**
	 * Called on the listening thread each time the connection listens on the channel (again).
	 * @param statement a statement on the listening connection, to send notifications with
	 * @param channel the channel
	 * @throws SQLException when a statement fails (the connection is then opened again)
	 */
	default void listening(Statement statement, String channel) throws SQLException {
	}

	/**
	 * Called on the listening thread with each payload that arrives, in order.
	 * @param payload the payload
	 */
	void received(String payload);

}
