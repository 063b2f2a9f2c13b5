package dev.backgroundtasks.event;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.TaskStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls the {@link TaskExecutionListener} beans for a batch of events, with the executions of the whole
 * batch read in one go (not one read per event). Only the executions that some listener has a callback
 * for are read: a listener that overrides only {@code onFailure} needs no read for a successful drain, and
 * none is read when there is no listener.
 */
final class ListenerCallbacks {

	private static final Log logger = LogFactory.getLog(ExecutionEventPublisher.class);

	private final Supplier<List<TaskExecutionListener>> listeners;

	private final Function<Collection<UUID>, Map<UUID, Execution>> snapshots;

	/** The listeners last seen, and the statuses their callbacks are for. */
	private volatile Handled handled = new Handled(List.of(), EnumSet.noneOf(TaskStatus.class));

	/**
	 * @param listeners the listener beans, resolved when first needed
	 * @param snapshots reads executions, several at once; those not found are left out
	 */
	ListenerCallbacks(Supplier<List<TaskExecutionListener>> listeners,
			Function<Collection<UUID>, Map<UUID, Execution>> snapshots) {
		this.listeners = listeners;
		this.snapshots = snapshots;
	}

	/**
	 * @param event an event
	 * @return whether it calls listener callbacks: a status event of any state but {@code READY}
	 */
	static boolean hasCallbacks(ExecutionEvent event) {
		return event instanceof ExecutionStatusEvent status && status.status() != TaskStatus.READY;
	}

	/**
	 * Reads the executions that the batch's callbacks need. When that fails, those callbacks are skipped:
	 * the caller delivers the rest.
	 * @param batch the events about to be delivered
	 * @return the executions by id; empty without listeners
	 */
	Map<UUID, Execution> read(List<SequencedEvent> batch) {
		Set<TaskStatus> statuses = handledStatuses();
		if (statuses.isEmpty()) {
			return Map.of();
		}
		Set<UUID> ids = new LinkedHashSet<>();
		for (SequencedEvent sequenced : batch) {
			if (sequenced.event() instanceof ExecutionStatusEvent change && statuses.contains(change.status())) {
				ids.add(change.executionId());
			}
		}
		if (ids.isEmpty()) {
			return Map.of();
		}
		try {
			return this.snapshots.apply(ids);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read " + ids.size() + " executions for the TaskExecutionListener callbacks of "
					+ batch.size() + " events; those callbacks are skipped", ex);
			return Map.of();
		}
	}

	/**
	 * Calls every listener for an event, if it has callbacks and its execution was read.
	 * @param event the event
	 * @param executions what {@link #read} returned for the event's batch
	 */
	void call(ExecutionEvent event, Map<UUID, Execution> executions) {
		if (!(event instanceof ExecutionStatusEvent change) || !hasCallbacks(change)) {
			return;
		}
		Execution execution = executions.get(change.executionId());
		if (execution == null) {
			return;
		}
		TaskStatus status = change.status();
		for (TaskExecutionListener listener : this.listeners.get()) {
			switch (status) {
				case RUNNING -> call(listener, change, "onStart", listener::onStart, execution);
				case SUCCESSFUL -> call(listener, change, "onSuccess", listener::onSuccess, execution);
				case FAILED -> call(listener, change, "onFailure", listener::onFailure, execution);
				default -> {
				}
			}
			if (status.isTerminal()) {
				call(listener, change, "onComplete", listener::onComplete, execution);
			}
		}
	}

	private Set<TaskStatus> handledStatuses() {
		List<TaskExecutionListener> current = this.listeners.get();
		Handled known = this.handled;
		if (known.listeners() != current) {
			EnumSet<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
			current.forEach((listener) -> statuses.addAll(handledBy(listener)));
			known = new Handled(current, statuses);
			this.handled = known;
		}
		return known.statuses();
	}

	/**
	 * @param listener a listener
	 * @return the statuses whose events it has a callback for: those of the methods it overrides (a proxy
	 * counts as overriding them all)
	 */
	static Set<TaskStatus> handledBy(TaskExecutionListener listener) {
		EnumSet<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
		if (overrides(listener, "onStart")) {
			statuses.add(TaskStatus.RUNNING);
		}
		if (overrides(listener, "onSuccess")) {
			statuses.add(TaskStatus.SUCCESSFUL);
		}
		if (overrides(listener, "onFailure")) {
			statuses.add(TaskStatus.FAILED);
		}
		if (overrides(listener, "onComplete")) {
			statuses.addAll(EnumSet.of(TaskStatus.SUCCESSFUL, TaskStatus.FAILED, TaskStatus.CANCELLED));
		}
		return statuses;
	}

	private static boolean overrides(TaskExecutionListener listener, String callback) {
		try {
			return listener.getClass().getMethod(callback, Execution.class)
				.getDeclaringClass() != TaskExecutionListener.class;
		}
		catch (NoSuchMethodException ex) {
			return true;
		}
	}

	private static void call(TaskExecutionListener listener, ExecutionStatusEvent event, String callback,
			Consumer<Execution> method, Execution execution) {
		guarded(event, listener.getClass().getName() + "#" + callback, () -> method.accept(execution));
	}

	/**
	 * Runs a listener; logs what it throws.
	 */
	static void guarded(ExecutionEvent event, String what, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("The " + what + " failed on " + event + "; the execution is not affected", ex);
		}
	}

	private record Handled(List<TaskExecutionListener> listeners, Set<TaskStatus> statuses) {

	}

}
