package dev.backgroundtasks.web;

import java.time.Duration;

/**
 * Refuses a connection beyond a {@link ConnectionLimit}: answered {@code 503} with {@code Retry-After}.
 */
class ConnectionLimitException extends RuntimeException {

	private final String property;

	private final int max;

	private final Duration retryAfter;

	ConnectionLimitException(String message, String property, int max, Duration retryAfter) {
		super(message);
		this.property = property;
		this.max = max;
		this.retryAfter = retryAfter;
	}

	/**
	 * @return the configuration property of the limit that was reached
	 */
	String getProperty() {
		return this.property;
	}

	/**
	 * @return the limit
	 */
	int getMax() {
		return this.max;
	}

	/**
	 * @return how long the client should wait before it tries again
	 */
	Duration getRetryAfter() {
		return this.retryAfter;
	}

}
