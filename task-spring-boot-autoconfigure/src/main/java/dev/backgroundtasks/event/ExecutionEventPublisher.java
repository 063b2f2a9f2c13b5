package dev.backgroundtasks.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Delivers this node's execution events after their change was committed, in order, on one thread
 * ({@code bgt-events}) so that neither task threads nor the claim loop wait for listeners: first as
 * Spring application events, then to the {@link TaskExecutionListener} beans, then to the sinks (the
 * local event stream, or PostgreSQL {@code NOTIFY} for every node's stream).
 */
public class ExecutionEventPublisher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExecutionEventPublisher.class);

	private static final int MAX_BATCH = 512;

	private final BlockingQueue<SequencedEvent> queue = new LinkedBlockingQueue<>();

	private final String origin = Long.toString(System.currentTimeMillis(), 36)
			+ Integer.toString((int) (Math.random() * 1296), 36);

	private final AtomicLong sequence = new AtomicLong();

	private final ApplicationEventDelivery applicationEvents;

	private final Supplier<List<TaskExecutionListener>> listeners;

	private final Function<UUID, Optional<Execution>> snapshots;

	private final Supplier<List<ExecutionEventSink>> sinks;

	private volatile @Nullable Thread thread;

	/**
	 * @param applicationEvents publishes the application events
	 * @param listeners the listener beans, resolved when first needed
	 * @param snapshots reads an execution for the listeners
	 * @param sinks the sinks, resolved when first needed
	 */
	public ExecutionEventPublisher(ApplicationEventPublisher applicationEvents,
			Supplier<List<TaskExecutionListener>> listeners, Function<UUID, Optional<Execution>> snapshots,
			Supplier<List<ExecutionEventSink>> sinks) {
		this.applicationEvents = new ApplicationEventDelivery(applicationEvents);
		this.listeners = listeners;
		this.snapshots = snapshots;
		this.sinks = sinks;
	}

	/**
	 * Publishes an event of a change that is already committed (or was never transactional).
	 * @param event the event
	 */
	public void publish(ExecutionEvent event) {
		this.queue.add(new SequencedEvent(this.origin + "-" + this.sequence.incrementAndGet(), event));
	}

	/**
	 * Publishes events of changes that are already committed, in order.
	 * @param events the events
	 */
	public void publishAll(List<? extends ExecutionEvent> events) {
		events.forEach(this::publish);
	}

	/**
	 * Publishes an event when the current transaction commits (never on rollback), or now when there is
	 * none.
	 * @param event the event
	 */
	public void publishAfterCommit(ExecutionEvent event) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					publish(event);
				}
			});
		}
		else {
			publish(event);
		}
	}

	private void deliverLoop() {
		List<SequencedEvent> batch = new ArrayList<>();
		while (this.thread != null || !this.queue.isEmpty()) {
			try {
				SequencedEvent first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, MAX_BATCH - 1);
				deliver(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not deliver background task events", ex);
			}
			finally {
				batch.clear();
			}
		}
	}

	private void deliver(List<SequencedEvent> batch) {
		List<TaskExecutionListener> callbacks = this.listeners.get();
		for (SequencedEvent sequenced : batch) {
			ExecutionEvent event = sequenced.event();
			guarded(event, "application event listener", () -> this.applicationEvents.publish(event));
			if (!callbacks.isEmpty() && event instanceof ExecutionStatusEvent status) {
				callListeners(callbacks, status);
			}
		}
		List<SequencedEvent> delivered = List.copyOf(batch);
		for (ExecutionEventSink sink : this.sinks.get()) {
			try {
				sink.accept(delivered);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not pass " + delivered.size() + " background task events to " + sink, ex);
			}
		}
	}

	private void callListeners(List<TaskExecutionListener> callbacks, ExecutionStatusEvent event) {
		TaskStatus status = event.status();
		if (status == TaskStatus.READY) {
			return;
		}
		Execution execution = this.snapshots.apply(event.executionId()).orElse(null);
		if (execution == null) {
			return;
		}
		for (TaskExecutionListener listener : callbacks) {
			switch (status) {
				case RUNNING -> call(listener, event, "onStart", listener::onStart, execution);
				case SUCCESSFUL -> call(listener, event, "onSuccess", listener::onSuccess, execution);
				case FAILED -> call(listener, event, "onFailure", listener::onFailure, execution);
				default -> {
				}
			}
			if (status.isTerminal()) {
				call(listener, event, "onComplete", listener::onComplete, execution);
			}
		}
	}

	private static void call(TaskExecutionListener listener, ExecutionStatusEvent event, String callback,
			Consumer<Execution> method, Execution execution) {
		guarded(event, listener.getClass().getName() + "#" + callback, () -> method.accept(execution));
	}

	private static void guarded(ExecutionEvent event, String what, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("The " + what + " failed on " + event + "; the execution is not affected", ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.thread == null) {
			Thread delivery = new Thread(this::deliverLoop, "bgt-events");
			delivery.setDaemon(true);
			this.thread = delivery;
			delivery.start();
		}
	}

	@Override
	public synchronized void stop() {
		Thread delivery = this.thread;
		// The loop delivers what is queued, then ends.
		this.thread = null;
		if (delivery != null) {
			try {
				delivery.join(5000);
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

	@Override
	public int getPhase() {
		// Stops after the worker and the supervisor, so their last changes are delivered.
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

}
