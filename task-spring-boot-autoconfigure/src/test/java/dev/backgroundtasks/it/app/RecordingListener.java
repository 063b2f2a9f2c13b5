package dev.backgroundtasks.it.app;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.backgroundtasks.Execution;
import dev.backgroundtasks.event.ExecutionCustomEvent;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.event.TaskExecutionListener;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records every listener callback and some application events; its {@code onStart} throws for the task
 * {@code add}, which must change nothing.
 */
@Component
public class RecordingListener implements TaskExecutionListener {

	/** Each callback as {@code name:executionId:status seen}. */
	public final List<String> callbacks = new CopyOnWriteArrayList<>();

	/** The application events received. */
	public final List<Object> events = new CopyOnWriteArrayList<>();

	@Override
	public void onStart(Execution execution) {
		// Read after the claim committed, it may already show later changes: its status says nothing.
		this.callbacks.add("onStart:" + execution.id() + ":");
		if (execution.task().equals("add")) {
			throw new IllegalStateException("A listener that fails");
		}
	}

	@Override
	public void onSuccess(Execution execution) {
		record("onSuccess", execution);
	}

	@Override
	public void onFailure(Execution execution) {
		record("onFailure", execution);
	}

	@Override
	public void onComplete(Execution execution) {
		record("onComplete", execution);
	}

	private void record(String callback, Execution execution) {
		this.callbacks.add(callback + ":" + execution.id() + ":" + execution.status());
	}

	@EventListener
	void on(ExecutionStatusEvent event) {
		this.events.add(event);
	}

	@EventListener
	void on(ExecutionCustomEvent event) {
		this.events.add(event);
	}

	/**
	 * @param id an execution id
	 * @return the callbacks for it, in order
	 */
	public List<String> callbacksOf(UUID id) {
		return this.callbacks.stream()
			.filter((callback) -> callback.contains(":" + id + ":"))
			.map((callback) -> callback.replace(":" + id, "").replaceAll(":$", ""))
			.toList();
	}

}
