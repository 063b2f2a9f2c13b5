package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.event.ExecutionCustomEvent;
import dev.backgroundtasks.event.ExecutionEventPublisher;
import dev.backgroundtasks.event.ExecutionProgressEvent;
import dev.backgroundtasks.execution.ClaimedExecution;
import dev.backgroundtasks.execution.ProgressStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Opens the {@link dev.backgroundtasks.TaskContext} of each attempt and writes their progress,
 * coalesced: one thread ({@code bgt-progress}) writes each attempt's latest progress when it changed, at
 * most once per interval, plus on {@code flush()} and when the attempt ends. Every write happens on that
 * thread, never on a task thread (a thread interrupted inside a JDBC call can close an H2 database),
 * and in order, so a late periodic write never overwrites the final one.
 */
public class AttemptContexts implements DisposableBean {

	private static final Log logger = LogFactory.getLog(AttemptContexts.class);

	private final Set<DefaultTaskContext.Attempt> open = ConcurrentHashMap.newKeySet();

	private final ProgressStore store;

	private final ExecutionEventPublisher events;

	private final JsonMapper mapper;

	private final ScheduledExecutorService writer;

	/**
	 * @param store writes progress
	 * @param events publishes progress and custom events
	 * @param mapper turns custom event data into JSON
	 * @param interval shortest time between two periodic writes of one attempt's progress
	 */
	public AttemptContexts(ProgressStore store, ExecutionEventPublisher events, JsonMapper mapper, Duration interval) {
		this.store = store;
		this.events = events;
		this.mapper = mapper;
		this.writer = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("bgt-progress-"));
		long millis = Math.max(1, interval.toMillis());
		this.writer.scheduleWithFixedDelay(this::writeChanged, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Opens the context of an attempt.
	 * @param claim the claim of the attempt
	 * @param stopRequested whether the attempt was asked to stop
	 * @return its root context
	 */
	DefaultTaskContext open(ClaimedExecution claim, BooleanSupplier stopRequested) {
		DefaultTaskContext.Attempt attempt = new DefaultTaskContext.Attempt(claim, stopRequested, this);
		this.open.add(attempt);
		return new DefaultTaskContext(attempt);
	}

	/**
	 * Writes the last progress of an attempt whose body returned, before its outcome is recorded.
	 * @param context the attempt's root context
	 */
	void close(DefaultTaskContext context) {
		DefaultTaskContext.Attempt attempt = context.attemptState();
		this.open.remove(attempt);
		if (attempt.isSettled()) {
			// Nothing to write (a task that reports no progress): no hand-over to the writer thread.
			return;
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// Immediate mode inside the caller's transaction: only its connection sees the execution.
			write(attempt);
		}
		else {
			onWriter(attempt, () -> write(attempt));
		}
	}

	void flush(DefaultTaskContext.Attempt attempt) {
		onWriter(attempt, () -> write(attempt));
	}

	void event(DefaultTaskContext.Attempt attempt, String name, @Nullable Object data) {
		JsonNode json = (data != null) ? this.mapper.valueToTree(data) : null;
		// Progress reported before the event reaches watchers before it.
		flush(attempt);
		ClaimedExecution claim = attempt.claim;
		this.events.publish(new ExecutionCustomEvent(claim.id(), claim.task(), claim.attempt(), name, json));
	}

	private void onWriter(DefaultTaskContext.Attempt attempt, Runnable write) {
		Future<?> done;
		try {
			done = this.writer.submit(write);
		}
		catch (RejectedExecutionException ex) {
			write.run();
			return;
		}
		try {
			done.get();
		}
		catch (InterruptedException ex) {
			// The write still happens; the task learns of its interrupt.
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Could not write the progress of execution " + attempt.claim.id(), ex.getCause());
		}
	}

	private void writeChanged() {
		for (DefaultTaskContext.Attempt attempt : this.open) {
			write(attempt);
		}
	}

	private void write(DefaultTaskContext.Attempt attempt) {
		ExecutionProgress progress = attempt.takeChanges();
		if (progress == null) {
			return;
		}
		ClaimedExecution claim = attempt.claim;
		try {
			if (this.store.write(claim, progress)) {
				this.events.publish(new ExecutionProgressEvent(claim.id(), claim.task(), claim.attempt(), progress));
			}
		}
		catch (RuntimeException ex) {
			attempt.unwritten();
			logger.warn("Could not write the progress of execution " + claim.id() + "; retrying at the next interval: "
					+ ex);
		}
		finally {
			attempt.writeEnded();
		}
	}

	@Override
	public void destroy() {
		this.writer.shutdown();
	}

}
