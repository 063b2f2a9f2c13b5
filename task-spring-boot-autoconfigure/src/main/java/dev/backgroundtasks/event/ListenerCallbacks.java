package dev.backgroundtasks.event;

import java.util.Collection;
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
 * batch read in one go (not one read per event), and nothing read when there is no listener.
 */
final class ListenerCallbacks {

	private static final Log logger = LogFactory.getLog(ExecutionEventPublisher.class);

	private final Supplier<List<TaskExecutionListener>> listeners;

	private final Function<Collection<UUID>, Map<UUID, Execution>> snapshots;

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
		if (this.listeners.get().isEmpty()) {
			return Map.of();
		}
		Set<UUID> ids = new LinkedHashSet<>();
		for (SequencedEvent sequenced : batch) {
			if (hasCallbacks(sequenced.event())) {
				ids.add(sequenced.event().executionId());
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

}
