package dev.backgroundtasks;

import java.time.Duration;

/**
 * Thrown when a submission finds the queue at {@code background-tasks.queue.capacity}: nothing is
 * stored; try again later.
 */
public class QueueFullException extends BackgroundTaskException {

	private final long capacity;

	private final Duration retryAfter;

	public QueueFullException(long capacity, Duration retryAfter) {
		super("The queue is full: " + capacity + " executions are READY (background-tasks.queue.capacity); retry in "
				+ retryAfter.toSeconds() + "s");
		this.capacity = capacity;
		this.retryAfter = retryAfter;
	}

	/**
	 * @return the configured capacity
	 */
	public long getCapacity() {
		return this.capacity;
	}

	/**
	 * @return how long to wait before trying again
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
