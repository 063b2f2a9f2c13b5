package dev.backgroundtasks.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.backgroundtasks.Execution;
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
 * local event stream, or PostgreSQL {@code NOTIFY} for every node's stream). The executions passed to
 * the listeners are read with one query per batch of events, not one per event ({@link ListenerCallbacks}).
 * <p>
 * <strong>Overflow.</strong> At most {@code queueCapacity} events wait for delivery
 * ({@code background-tasks.events.queue-capacity}), so listeners slower than the engine cannot exhaust
 * the heap. Publishing never waits: the threads that change state are never held up by listeners. An
 * event that finds the queue full is dropped: its application event, callbacks and stream event do not
 * happen (the execution itself is not affected). Drops are counted ({@link #droppedCount()}, the meter
 * {@code background.tasks.events.dropped}), logged at WARN at most once a minute, and announced to the
 * sinks ({@link ExecutionEventSink#dropped(long)}: stream clients get a {@code dropped} event and should
 * re-read the state over REST) after the events queued before, at most once a second. Events that call
 * listener callbacks (every status but {@code READY}) may fill the queue; {@code READY}, progress and
 * custom events only nine tenths of it, so that a burst of them cannot crowd out the callbacks.
 */
public class ExecutionEventPublisher implements SmartLifecycle {

	/** The default of {@code background-tasks.events.queue-capacity}. */
	public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

	private static final Log logger = LogFactory.getLog(ExecutionEventPublisher.class);

	private static final int MAX_BATCH = 512;

	private static final long NOTICE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final BoundedEventQueue queue;

	private final String origin = Long.toString(System.currentTimeMillis(), 36)
			+ Integer.toString((int) (Math.random() * 1296), 36);

	private final AtomicLong sequence = new AtomicLong();

	private final ApplicationEventDelivery applicationEvents;

	private final ListenerCallbacks callbacks;

	private final Supplier<List<ExecutionEventSink>> sinks;

	private volatile @Nullable Thread thread;

	/** When drops were last announced; read and written by the event thread only. */
	private long lastNotice = System.nanoTime() - NOTICE_INTERVAL_NANOS;

	/**
	 * @param applicationEvents publishes the application events
	 * @param listeners the listener beans, resolved when first needed
	 * @param snapshots reads executions for the listeners, several at once; those not found are left out
	 * @param sinks the sinks, resolved when first needed
	 * @param queueCapacity the most events that may wait for delivery, at least 1
	 */
	public ExecutionEventPublisher(ApplicationEventPublisher applicationEvents,
			Supplier<List<TaskExecutionListener>> listeners,
			Function<Collection<UUID>, Map<UUID, Execution>> snapshots, Supplier<List<ExecutionEventSink>> sinks,
			int queueCapacity) {
		this.queue = new BoundedEventQueue(queueCapacity);
		this.applicationEvents = new ApplicationEventDelivery(applicationEvents);
		this.callbacks = new ListenerCallbacks(listeners, snapshots);
		this.sinks = sinks;
	}

	/**
	 * Publishes an event of a change that is already committed (or was never transactional). Never
	 * waits: when the queue is full the event is dropped (see the class description).
	 * @param event the event
	 */
	public void publish(ExecutionEvent event) {
		this.queue.offer(new SequencedEvent(this.origin + "-" + this.sequence.incrementAndGet(), event));
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

	/**
	 * @return how many events were dropped since start-up because the queue was full
	 */
	public long droppedCount() {
		return this.queue.dropped();
	}

	/**
	 * @return how many events wait for delivery now
	 */
	public int queuedCount() {
		return this.queue.size();
	}

	/**
	 * @return the most events that may wait for delivery
	 */
	public int queueCapacity() {
		return this.queue.capacity();
	}

	private void deliverLoop() {
		List<SequencedEvent> batch = new ArrayList<>();
		while (this.thread != null || !this.queue.isEmpty()) {
			try {
				SequencedEvent first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first != null) {
					batch.add(first);
					this.queue.drainTo(batch, MAX_BATCH - 1);
					deliver(batch);
				}
				announceDrops(false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not deliver background task events", ex);
			}
			catch (Error ex) {
				// A listener's Error (or out of memory) must not end delivery for good: its batch is lost,
				// the next one is delivered.
				logger.error("Unexpected error while delivering " + batch.size() + " background task events", ex);
			}
			finally {
				batch.clear();
			}
		}
		announceDrops(true);
	}

	private void deliver(List<SequencedEvent> batch) {
		Map<UUID, Execution> executions = this.callbacks.read(batch);
		for (SequencedEvent sequenced : batch) {
			ExecutionEvent event = sequenced.event();
			ListenerCallbacks.guarded(event, "application event listener", () -> this.applicationEvents.publish(event));
			this.callbacks.call(event, executions);
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

	/**
	 * Tells the sinks how many events were dropped since they were last told, at most once a second
	 * unless {@code now}.
	 */
	private void announceDrops(boolean now) {
		long time = System.nanoTime();
		if (!now && time - this.lastNotice < NOTICE_INTERVAL_NANOS) {
			return;
		}
		long count = this.queue.takeUnannounced();
		if (count == 0) {
			return;
		}
		this.lastNotice = time;
		for (ExecutionEventSink sink : this.sinks.get()) {
			try {
				sink.dropped(count);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not tell " + sink + " that " + count + " background task events were dropped", ex);
			}
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
