package dev.backgroundtasks.web;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client of the event stream: the frames waiting for it, and the one task at a time that writes
 * them. Adding a frame never blocks. Only the writing task touches the emitter, because a write to a
 * client that does not read blocks, and holds the emitter's lock meanwhile: so such a client holds up its
 * own writer and nothing else. Past {@code maxPending} waiting frames the client is dropped: the frames
 * are let go, and its writer ends the response once its write returns.
 */
final class StreamSubscriber {

	/** Most frames written with one flush. */
	private static final int BATCH = 64;

	private final SseEmitter emitter;

	private final StreamFilter filter;

	private final ChangeSummary summary = new ChangeSummary();

	private final int maxPending;

	private final Executor writers;

	/** Grows and shrinks with use; counted apart, as a concurrent queue has no cheap size. */
	private final Queue<Set<DataWithMediaType>> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingCount = new AtomicInteger();

	/** Held by the one task that may touch the emitter. */
	private final AtomicBoolean writing = new AtomicBoolean();

	/** No more frames: dropped, gone, timed out, or the stream shuts down. */
	private volatile boolean closed;

	/** The server is to end the response (a dropped client, a timeout, shutdown). */
	private volatile boolean complete;

	/** The response ended: by the writer, or on the container's side. */
	private volatile boolean completed;

	/**
	 * @param emitter the client's response
	 * @param filter which events the client gets, and whether summed up
	 * @param maxPending most frames that may wait for the client before it is dropped
	 * @param writers runs the writing tasks; a blocked write holds one of its threads
	 */
	StreamSubscriber(SseEmitter emitter, StreamFilter filter, int maxPending, Executor writers) {
		this.emitter = emitter;
		this.filter = filter;
		this.maxPending = maxPending;
		this.writers = writers;
	}

	boolean wants(SequencedEvent event) {
		return this.filter.wants(event);
	}

	/**
	 * @return whether the client gets summaries instead of each event
	 */
	boolean isSummary() {
		return this.filter.summary();
	}

	/**
	 * @return the events this summary client has not been told about yet
	 */
	ChangeSummary summary() {
		return this.summary;
	}

	/**
	 * Adds a frame to send; never blocks. Call {@link #flush()} to have it written.
	 * @param frame the frame
	 * @return {@code false} when the client is closed, or is now dropped because too many frames wait
	 */
	boolean offer(Set<DataWithMediaType> frame) {
		if (this.closed) {
			return false;
		}
		if (this.pendingCount.incrementAndGet() > this.maxPending) {
			// Too far behind, or not reading: end the connection; the client resumes with Last-Event-ID.
			close();
			return false;
		}
		this.pending.add(frame);
		return true;
	}

	/**
	 * @return whether no frame waits
	 */
	boolean isIdle() {
		return this.pendingCount.get() == 0;
	}

	/**
	 * Starts the writing task unless it runs already, when there is something to write or to end.
	 */
	void flush() {
		boolean work = (this.complete && !this.completed) || (!this.closed && !this.pending.isEmpty());
		if (work && this.writing.compareAndSet(false, true)) {
			try {
				this.writers.execute(this::write);
			}
			catch (RejectedExecutionException ex) {
				// Shutting down.
				this.writing.set(false);
			}
		}
	}

	/**
	 * Sends nothing more and ends the response: at once when no write is under way, or else when it
	 * returns. Never blocks.
	 */
	void close() {
		this.complete = true;
		this.closed = true;
		this.pending.clear();
		flush();
	}

	/**
	 * The response timed out: ends it in the calling thread unless a write is under way (then its writer
	 * ends it when the write returns), so that the container raises no timeout error.
	 */
	void timedOut() {
		this.complete = true;
		this.closed = true;
		this.pending.clear();
		if (this.writing.compareAndSet(false, true)) {
			try {
				completeResponse();
			}
			finally {
				this.writing.set(false);
			}
		}
	}

	/**
	 * The response ended on the container's side (completed, failed, timed out).
	 */
	void ended() {
		this.completed = true;
		this.closed = true;
		this.pending.clear();
	}

	private void write() {
		try {
			while (!this.closed) {
				Set<DataWithMediaType> batch = nextBatch();
				if (batch.isEmpty()) {
					break;
				}
				this.emitter.send(batch);
			}
			if (this.complete) {
				completeResponse();
			}
		}
		catch (IOException ex) {
			// The client went away: the container ends the request, and then ended() runs.
			this.closed = true;
			this.pending.clear();
		}
		catch (RuntimeException ex) {
			// Ended already, or the write failed otherwise: end it, if not done yet.
			this.complete = true;
			this.closed = true;
			this.pending.clear();
		}
		finally {
			this.writing.set(false);
		}
		// Something offered, or a completion asked for, after this task's last look: one more round.
		flush();
	}

	/** Holds {@code writing}. */
	private void completeResponse() {
		if (!this.completed) {
			this.completed = true;
			this.emitter.complete();
		}
	}

	/**
	 * Takes up to {@link #BATCH} frames as one set of parts: copies, since a set keeps equal parts once
	 * and a shared frame (a keep-alive) may be taken twice.
	 */
	private Set<DataWithMediaType> nextBatch() {
		Set<DataWithMediaType> batch = new LinkedHashSet<>();
		Set<DataWithMediaType> frame;
		for (int i = 0; i < BATCH && (frame = this.pending.poll()) != null; i++) {
			this.pendingCount.decrementAndGet();
			for (DataWithMediaType part : frame) {
				batch.add(new DataWithMediaType(part.getData(), part.getMediaType()));
			}
		}
		return batch;
	}

}
