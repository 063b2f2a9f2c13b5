package dev.backgroundtasks.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on how many connections of one kind (event stream clients, long-polls) this node holds open at
 * once: each one takes a permit for as long as it is open, and one more is refused.
 */
final class ConnectionLimit {

	/** What a refused client is told to wait before it tries again. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final AtomicInteger open = new AtomicInteger();

	private final String connections;

	private final int max;

	private final String property;

	/**
	 * @param connections what is counted, for messages, such as {@code "event stream clients"}
	 * @param max how many may be open at once
	 * @param property the configuration property that sets {@code max}
	 */
	ConnectionLimit(String connections, int max, String property) {
		this.connections = connections;
		this.max = max;
		this.property = property;
	}

	/**
	 * Takes a permit.
	 * @return the permit, to release once the connection is closed
	 * @throws ConnectionLimitException when {@code max} connections are open
	 */
	Permit acquire() {
		int current;
		do {
			current = this.open.get();
			if (current >= this.max) {
				throw new ConnectionLimitException("This node already holds " + this.max + " open " + this.connections
						+ ", the most " + this.property + " allows; try again later", this.property, this.max,
						RETRY_AFTER);
			}
		}
		while (!this.open.compareAndSet(current, current + 1));
		return new Permit();
	}

	/**
	 * @return how many permits are taken
	 */
	int open() {
		return this.open.get();
	}

	/**
	 * One open connection; releasing it more than once releases it once.
	 */
	final class Permit {

		private final AtomicBoolean released = new AtomicBoolean();

		void release() {
			if (this.released.compareAndSet(false, true)) {
				ConnectionLimit.this.open.decrementAndGet();
			}
		}

	}

}
