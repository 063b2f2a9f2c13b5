package dev.backgroundtasks.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.TaskSubmission;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.Submission;
import org.jspecify.annotations.Nullable;

/**
 * The builder behind {@link DefaultTaskClient#task(String)}.
 */
final class DefaultTaskSubmission implements TaskSubmission {

	private final DefaultTaskClient client;

	private final String task;

	private final Map<String, @Nullable Object> params = new LinkedHashMap<>();

	private int priority;

	private @Nullable Instant runAt;

	private @Nullable Duration delay;

	private @Nullable String key;

	private final List<UUID> after = new ArrayList<>();

	DefaultTaskSubmission(DefaultTaskClient client, String task) {
		this.client = client;
		this.task = task;
	}

	@Override
	public TaskSubmission param(String name, @Nullable Object value) {
		this.params.put(name, value);
		return this;
	}

	@Override
	public TaskSubmission params(Map<String, ?> params) {
		this.params.putAll(params);
		return this;
	}

	@Override
	public TaskSubmission runAt(Instant runAt) {
		this.runAt = runAt;
		return this;
	}

	@Override
	public TaskSubmission delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	@Override
	public TaskSubmission priority(int priority) {
		this.priority = priority;
		return this;
	}

	@Override
	public TaskSubmission key(String key) {
		this.key = key;
		return this;
	}

	@Override
	public TaskSubmission after(UUID... executionIds) {
		for (UUID id : executionIds) {
			this.after.add(Objects.requireNonNull(id, "after takes execution ids, not null"));
		}
		return this;
	}

	@Override
	public TaskHandle submit() {
		return this.client.submit(new Submission(this.task, this.client.binder().toJson(this.params), TaskTrigger.CODE,
				this.priority, this.runAt, this.delay, this.key, null, this.after));
	}

}
