package dev.backgroundtasks.event;

import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The events waiting for the event thread: at most {@code capacity}. Adding never waits. An event that
 * finds no room is dropped and counted, and a warning is logged at most once a minute. Events that call
 * {@link TaskExecutionListener} callbacks (every status but {@code READY}) may fill the queue; the others
 * ({@code READY}, progress and custom events) only nine tenths of it, so that a burst of them (a large batch
 * submission, chatty progress) cannot crowd out the callbacks.
 */
final class BoundedEventQueue {

	static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

	private static final Log logger = LogFactory.getLog(ExecutionEventPublisher.class);

	private final BlockingQueue<SequencedEvent> queue;

	private final int capacity;

	/** How many events may wait before those without callbacks are dropped. */
	private final int othersLimit;

	private final AtomicLong dropped = new AtomicLong();

	/** Dropped since the event thread last told the sinks. */
	private final AtomicLong unannounced = new AtomicLong();

	/** When the next warning may be logged, by {@link System#nanoTime()}. */
	private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

	/**
	 * @param capacity the most events that may wait, at least 1
	 */
	BoundedEventQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException(
					"background-tasks.events.queue-capacity must be at least 1, got " + capacity);
		}
		this.capacity = capacity;
		this.othersLimit = Math.max(1, capacity - capacity / 10);
		this.queue = new LinkedBlockingQueue<>(capacity);
	}

	/**
	 * Queues an event, or drops it when there is no room for it; never waits.
	 * @param event the event
	 * @return whether it was queued
	 */
	boolean offer(SequencedEvent event) {
		boolean room = ListenerCallbacks.hasCallbacks(event.event()) || this.queue.size() < this.othersLimit;
		if (room && this.queue.offer(event)) {
			return true;
		}
		long total = this.dropped.incrementAndGet();
		this.unannounced.incrementAndGet();
		warnIfDue(event, total);
		return false;
	}

	private void warnIfDue(SequencedEvent event, long total) {
		long now = System.nanoTime();
		long due = this.nextWarning.get();
		if (now - due >= 0 && this.nextWarning.compareAndSet(due, now + WARNING_INTERVAL_NANOS)) {
			logger.warn("Background task events are being dropped, " + event.event() + " among them (" + total
					+ " so far): " + this.queue.size() + " events wait for delivery, the most "
					+ "background-tasks.events.queue-capacity (" + this.capacity + ") allows. Listeners "
					+ "(TaskExecutionListener beans, @EventListener methods) or the event stream take longer than "
					+ "events arrive; their callbacks are skipped for dropped events and stream clients are told to "
					+ "re-read. Logged at most once a minute.");
		}
	}

	@Nullable SequencedEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
		return this.queue.poll(timeout, unit);
	}

	void drainTo(Collection<? super SequencedEvent> batch, int max) {
		this.queue.drainTo(batch, max);
	}

	boolean isEmpty() {
		return this.queue.isEmpty();
	}

	int size() {
		return this.queue.size();
	}

	int capacity() {
		return this.capacity;
	}

	long dropped() {
		return this.dropped.get();
	}

	/**
	 * @return how many events were dropped since the previous call
	 */
	long takeUnannounced() {
		return this.unannounced.getAndSet(0);
	}

}
