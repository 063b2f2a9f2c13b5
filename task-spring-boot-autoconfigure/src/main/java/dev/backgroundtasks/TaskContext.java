package dev.backgroundtasks;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What a running task sees of its own execution: it reports progress and messages, emits custom events
 * and learns that it was asked to stop. Declare a parameter of this type on a {@code @BackgroundTask}
 * method and the worker passes the context of the running attempt; it is never bound from params and is
 * not listed among the task's parameters.
 * <p>
 * Reporting is cheap: {@link #progress}, {@link #total} and {@link #message} only change memory, and the
 * latest values are written to the execution at most a few times per second
 * ({@code background-tasks.worker.progress-interval}), on {@link #flush()} and when the attempt ends;
 * 100,000 calls do not cost 100,000 database writes. Writes are fenced like every write of an attempt:
 * an attempt that lost its claim cannot overwrite the progress of a newer one.
 * <p>
 * A context may be used from other threads than the one running the task (a task that returns a
 * {@code CompletableFuture}, for example).
 */
public interface TaskContext {

	/**
	 * Sets how many units of work this context covers (items, bytes, steps).
	 * @param total the total, 0 when not known
	 * @return this context
	 */
	TaskContext total(long total);

	/**
	 * Sets how many units of work are done, out of {@link #total(long)}.
	 * @param current the units done so far
	 * @return this context
	 */
	TaskContext progress(long current);

	/**
	 * Sets a short human-readable status line, shown with the progress (at most 1,000 characters are
	 * kept). Messages of a {@link #subContext sub-context} are prefixed with its label.
	 * @param text the message, or {@code null} to clear it
	 * @return this context
	 */
	TaskContext message(@Nullable String text);

	/**
	 * Creates a child for one stage of the work. The child covers {@code share} of this context's total,
	 * starting where this context's progress is now: when the child reports half of its own total done,
	 * this context advances by half of the share. A context with no total when its first child is created
	 * gets a total of 100, so its progress reads as a percentage. The label becomes the message.
	 * @param label names the stage, e.g. {@code "Reading"}
	 * @param share the part of this context's total the stage covers, more than 0 and at most 1
	 * @return the child
	 */
	TaskContext subContext(String label, double share);

	/**
	 * Emits a custom event, delivered after pending progress to listeners of the application (as an
	 * application event) and to the execution event stream of every node. Events are not stored.
	 * @param name the event name, e.g. {@code "rows-rejected"}
	 * @param data any value that serializes to JSON, or {@code null}
	 */
	void event(String name, @Nullable Object data);

	/**
	 * Writes the current progress now instead of at the next interval, and waits for the write.
	 */
	void flush();

	/**
	 * Whether this attempt was asked to stop: cancelled from any node ({@code $cancel} or
	 * {@link TaskHandle#cancel()}), timed out, or handed back because the node shuts down. The attempt's
	 * thread is interrupted too. A task that then returns or throws ends as the request says
	 * ({@code CANCELLED} for a cancel), with the progress it reported kept.
	 * @return whether to stop
	 */
	boolean isCancelled();

	/**
	 * @return the id of the running execution
	 */
	UUID executionId();

	/**
	 * @return the number of the running attempt, from 1
	 */
	int attempt();

}
