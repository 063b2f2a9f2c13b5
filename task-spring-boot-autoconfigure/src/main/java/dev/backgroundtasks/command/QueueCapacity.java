package dev.backgroundtasks.command;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.backgroundtasks.QueueFullException;
import dev.backgroundtasks.execution.ExecutionStore;

/**
 * Refuses submissions while the queue holds {@code background-tasks.queue.capacity} READY executions.
 * The count is read at most every 250 ms and grows with local submissions in between, so checking
 * costs no query per submission; the limit is therefore approximate by design.
 */
class QueueCapacity {

	private static final long REFRESH_NANOS = Duration.ofMillis(250).toNanos();

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final ExecutionStore store;

	private final long capacity;

	private final AtomicLong ready = new AtomicLong();

	private volatile long readAt = System.nanoTime() - REFRESH_NANOS;

	QueueCapacity(ExecutionStore store, long capacity) {
		this.store = store;
		this.capacity = capacity;
	}

	void check() {
		if (this.capacity <= 0) {
			return;
		}
		long now = System.nanoTime();
		if (now - this.readAt >= REFRESH_NANOS) {
			this.ready.set(this.store.countReady());
			this.readAt = now;
		}
		if (this.ready.get() >= this.capacity) {
			throw new QueueFullException(this.capacity, RETRY_AFTER);
		}
	}

	void added() {
		added(1);
	}

	void added(int count) {
		this.ready.addAndGet(count);
	}

}
