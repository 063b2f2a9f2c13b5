package dev.backgroundtasks.postgres;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.support.ClusterWakeUp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wakes the other nodes' workers after new work was committed: {@code pg_notify} on
 * {@code bgt_ready:<schema>}, with this node's name as payload (its own listener ignores it), from a
 * thread of its own. Requests that arrive while a notification is being sent are coalesced into the
 * next one, so under load the cluster is woken about once per round trip, not once per submission.
 * <p>
 * It is sent after the commit rather than from inside the submitting transaction (an insert trigger did
 * that before): PostgreSQL serializes the commits of all transactions that notify, so notifying inside
 * each submission kept concurrent submissions from committing together. Nothing is sent while
 * {@code bgt_node} has no other node (read at most once a second): there is no worker to wake, and a node
 * that starts claims what is due at once.
 */
public class PostgresReadyNotifier implements ClusterWakeUp, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresReadyNotifier.class);

	private static final long OTHERS_CHECK_NANOS = 1_000_000_000L;

	private final PostgresChannelSender sender;

	private final String node;

	private final AtomicBoolean requested = new AtomicBoolean();

	private final JdbcNodeStore nodes;

	/** When {@link #othersKnown} was last read; written by the sending thread only. */
	private volatile long othersCheckedAt = System.nanoTime() - OTHERS_CHECK_NANOS;

	private volatile boolean othersKnown = true;

	private volatile @Nullable Thread thread;

	/**
	 * @param jdbc sends the notifications, on the application's data source
	 * @param node this node's name, sent as the payload
	 */
	public PostgresReadyNotifier(JdbcTemplate jdbc, String node) {
		this.nodes = new JdbcNodeStore(jdbc);
		this.sender = new PostgresChannelSender(jdbc, PostgresReadyNotifier::channelOf);
		this.node = node;
	}

	/**
	 * @param schema the schema of the application's tables
	 * @return the channel that wakes the workers of that schema
	 */
	public static String channelOf(@Nullable String schema) {
		return "bgt_ready:" + schema;
	}

	/**
	 * Asks for a notification; returns at once.
	 */
	@Override
	public void request() {
		if (!this.othersKnown && System.nanoTime() - this.othersCheckedAt < OTHERS_CHECK_NANOS) {
			// No other node a moment ago: the sending thread would send nothing, so it is not woken for it.
			return;
		}
		Thread sender = this.thread;
		if (this.requested.compareAndSet(false, true) && sender != null) {
			LockSupport.unpark(sender);
		}
	}

	private void sendLoop() {
		while (this.thread != null || this.requested.get()) {
			if (!this.requested.getAndSet(false)) {
				LockSupport.parkNanos(100_000_000L);
				continue;
			}
			try {
				if (othersKnown()) {
					this.sender.send(this.node);
				}
			}
			catch (RuntimeException ex) {
				// The others poll: they find the work later.
				logger.warn("Could not wake the other nodes' workers: " + ex);
			}
		}
	}

	private boolean othersKnown() {
		long now = System.nanoTime();
		if (now - this.othersCheckedAt >= OTHERS_CHECK_NANOS) {
			this.othersKnown = this.nodes.othersKnown(this.node);
			this.othersCheckedAt = now;
		}
		return this.othersKnown;
	}

	@Override
	public synchronized void start() {
		if (this.thread == null) {
			Thread sender = new Thread(this::sendLoop, "bgt-ready-notify");
			sender.setDaemon(true);
			this.thread = sender;
			sender.start();
		}
	}

	@Override
	public synchronized void stop() {
		Thread sender = this.thread;
		// The loop sends what was requested, then ends.
		this.thread = null;
		if (sender != null) {
			LockSupport.unpark(sender);
			try {
				sender.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

}
