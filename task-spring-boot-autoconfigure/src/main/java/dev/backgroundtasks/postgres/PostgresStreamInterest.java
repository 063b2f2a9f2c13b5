package dev.backgroundtasks.postgres;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;

import dev.backgroundtasks.execution.JdbcNodeStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether any node of the cluster streams events to clients, so that nodes send their events with
 * {@code pg_notify} only while someone watches: without it every node would notify, and every node with
 * the REST API decode, two events per execution for nobody.
 * <p>
 * On the channel {@code bgt_stream:<schema>}, a node with stream clients announces {@value #ANNOUNCED}
 * when a client connects and every {@link #ANNOUNCE_EVERY_NANOS 10 s} while it has clients; a node whose
 * listening connection (re)connects asks {@value #ASKED}, and streaming nodes answer with an
 * announcement. Events are sent for {@link #HOLD_NANOS 30 s} after the last announcement heard (and for
 * {@link #GRACE_NANOS 2 s} after connecting, until the answers arrive, unless {@code bgt_node} has no other
 * node, which could only start streaming by announcing). A node that hears nothing of this channel (no
 * listening connection) always sends.
 */
public class PostgresStreamInterest implements ChannelSubscription {

	/** The payload of an announcement: the sending node has stream clients. */
	public static final String ANNOUNCED = "!";

	/** The payload of a question: nodes with stream clients, announce yourselves. */
	public static final String ASKED = "?";

	static final long ANNOUNCE_EVERY_NANOS = 10_000_000_000L;

	static final long HOLD_NANOS = 30_000_000_000L;

	static final long GRACE_NANOS = 2_000_000_000L;

	/**
	 * Without an announcement for this long, some node may have stopped sending (they hold for
	 * {@link #HOLD_NANOS}, which is longer), so events kept for replay may have gaps.
	 */
	static final long LAPSE_NANOS = 20_000_000_000L;

	private final @Nullable PostgresChannelSender sender;

	private final @Nullable String node;

	private final @Nullable JdbcNodeStore nodes;

	private final LongSupplier clock;

	private volatile boolean heard;

	private volatile long wantedUntil;

	private volatile long lastAnnouncement;

	private volatile boolean announcedOnce;

	private volatile long lastOwnAnnouncement;

	private volatile boolean ownAnnounced;

	private final Runnable onAsked;

	private final Runnable onResumed;

	/**
	 * @param jdbc announces this node's stream clients, on the application's data source
	 * @param node this node's name, as in {@code bgt_node}
	 * @param onAsked what to do when a node asks who streams (answer if this node streams)
	 * @param onResumed what to do when an announcement ends a lapse (forget events kept for replay, as
	 * they may have gaps)
	 */
	public PostgresStreamInterest(JdbcTemplate jdbc, String node, Runnable onAsked, Runnable onResumed) {
		this(jdbc, node, System::nanoTime, onAsked, onResumed);
	}

	PostgresStreamInterest(@Nullable JdbcTemplate jdbc, @Nullable String node, LongSupplier clock, Runnable onAsked,
			Runnable onResumed) {
		this.onAsked = onAsked;
		this.onResumed = onResumed;
		this.sender = (jdbc != null) ? new PostgresChannelSender(jdbc, PostgresStreamInterest::channelName) : null;
		this.node = node;
		this.nodes = (jdbc != null) ? new JdbcNodeStore(jdbc) : null;
		this.clock = clock;
		// nanoTime values may be negative: start from now, not from 0.
		this.wantedUntil = clock.getAsLong();
	}

	/**
	 * @param schema the schema of the application's tables
	 * @return the channel of announcements and questions for that schema
	 */
	public static String channelName(@Nullable String schema) {
		return "bgt_stream:" + schema;
	}

	@Override
	public String channelOf(String schema) {
		return channelName(schema);
	}

	/**
	 * Grants the grace period (see {@link #listening()}) unless no other node is known, and asks the
	 * streaming nodes to announce.
	 */
	@Override
	public void listening(Statement statement, String channel) throws SQLException {
		listening(othersKnown());
		statement.execute("NOTIFY " + PostgresChannelListener.quoted(channel) + ", '" + ASKED + "'");
	}

	/**
	 * Whether {@code bgt_node} has a row of another node: only then may a node stream already, unheard
	 * by this connection. When unsure, yes.
	 */
	private boolean othersKnown() {
		if (this.nodes == null || this.node == null) {
			return true;
		}
		try {
			return this.nodes.othersKnown(this.node);
		}
		catch (RuntimeException ex) {
			return true;
		}
	}


	/**
	 * @return whether this node should send its events to the cluster now
	 */
	public boolean wanted() {
		return !this.heard || this.clock.getAsLong() - this.wantedUntil < 0;
	}

	/**
	 * @return whether events kept for replay may have gaps: no announcement was heard for a while, so
	 * some node may have stopped sending
	 */
	public boolean lapsed() {
		return !this.announcedOnce || this.clock.getAsLong() - this.lastAnnouncement > LAPSE_NANOS;
	}

	/**
	 * A connection of this node listens on the channel (again): announcements may have been missed, so
	 * events are sent for a short grace period while the streaming nodes answer the question that the
	 * caller sends.
	 */
	public void listening() {
		listening(true);
	}

	/**
	 * A connection of this node listens on the channel (again).
	 * @param othersKnown whether other nodes, which may stream already, are known; without them there is
	 * nobody to wait for, so no grace period
	 */
	void listening(boolean othersKnown) {
		if (othersKnown) {
			extendTo(this.clock.getAsLong() + GRACE_NANOS);
		}
		this.heard = true;
	}

	/**
	 * Handles a payload heard on the channel.
	 * @param payload {@value #ANNOUNCED} or {@value #ASKED}; anything else is ignored
	 */
	@Override
	public void received(String payload) {
		if (ANNOUNCED.equals(payload)) {
			announced();
		}
		else if (ASKED.equals(payload)) {
			this.onAsked.run();
		}
	}

	/**
	 * Announces that this node has stream clients: takes effect here at once and on the other nodes
	 * when they hear it.
	 */
	public void announce() {
		this.lastOwnAnnouncement = this.clock.getAsLong();
		this.ownAnnounced = true;
		announced();
		if (this.sender != null) {
			this.sender.send(ANNOUNCED);
		}
	}

	/**
	 * @return whether a node with stream clients should announce again: it never did, or did
	 * {@link #ANNOUNCE_EVERY_NANOS 10 s} ago
	 */
	public boolean announcementDue() {
		return !this.ownAnnounced || this.clock.getAsLong() - this.lastOwnAnnouncement >= ANNOUNCE_EVERY_NANOS;
	}

	private void announced() {
		long now = this.clock.getAsLong();
		boolean resumed;
		synchronized (this) {
			resumed = lapsed();
			this.lastAnnouncement = now;
			this.announcedOnce = true;
			extendTo(now + HOLD_NANOS);
		}
		if (resumed) {
			this.onResumed.run();
		}
	}

	private synchronized void extendTo(long until) {
		if (until - this.wantedUntil > 0) {
			this.wantedUntil = until;
		}
	}

}
