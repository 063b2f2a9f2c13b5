package dev.backgroundtasks.web;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.backgroundtasks.event.SequencedEvent;
import org.jspecify.annotations.Nullable;

/**
 * The events a summary client of the event stream has not been told about yet: how many, of which
 * tasks and executions (the first few of each), and the last one's id, so the client can resume after it.
 */
final class ChangeSummary {

	/** Most task names and execution ids one summary lists; more set {@code truncated}. */
	static final int LISTED = 50;

	private int events;

	private final Set<String> tasks = new LinkedHashSet<>();

	private final Set<String> executions = new LinkedHashSet<>();

	private boolean truncated;

	private @Nullable String lastId;

	synchronized void add(SequencedEvent event) {
		this.events++;
		this.lastId = event.id();
		if (this.tasks.size() < LISTED) {
			this.tasks.add(event.event().task());
		}
		else if (!this.tasks.contains(event.event().task())) {
			this.truncated = true;
		}
		if (this.executions.size() < LISTED) {
			this.executions.add(event.event().executionId().toString());
		}
		else {
			this.truncated = true;
		}
	}

	/**
	 * Takes what was gathered and starts again.
	 * @return the summary's id and data, or {@code null} when nothing happened
	 */
	synchronized @Nullable Taken take() {
		if (this.events == 0 || this.lastId == null) {
			return null;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("events", this.events);
		data.put("tasks", Set.copyOf(this.tasks));
		data.put("executions", Set.copyOf(this.executions));
		data.put("truncated", this.truncated);
		Taken taken = new Taken(this.lastId, data);
		this.events = 0;
		this.tasks.clear();
		this.executions.clear();
		this.truncated = false;
		this.lastId = null;
		return taken;
	}

	/**
	 * @param id the id of the last event summed up
	 * @param data the summary
	 */
	record Taken(String id, Map<String, Object> data) {

	}

}
