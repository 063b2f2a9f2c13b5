package dev.backgroundtasks.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.BatchHandle;
import dev.backgroundtasks.TaskBatch;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.BatchSubmission;
import dev.backgroundtasks.command.BatchSubmission.Member;
import org.jspecify.annotations.Nullable;

/**
 * The builder behind {@link DefaultTaskClient#batch()}.
 */
final class DefaultTaskBatch implements TaskBatch {

	private final DefaultTaskClient client;

	private final List<Member> members = new ArrayList<>();

	private @Nullable Member onComplete;

	DefaultTaskBatch(DefaultTaskClient client) {
		this.client = client;
	}

	@Override
	public TaskBatch add(String task, Map<String, ?> params) {
		this.members.add(new Member(task, this.client.binder().toJson(params)));
		return this;
	}

	@Override
	public TaskBatch onComplete(String task, Map<String, ?> params) {
		this.onComplete = new Member(task, this.client.binder().toJson(params));
		return this;
	}

	@Override
	public BatchHandle submit() {
		BatchSubmission batch = new BatchSubmission(this.members, this.onComplete, TaskTrigger.CODE);
		return new DefaultBatchHandle(this.client.commands().submitBatch(batch), this.members.size(),
				this.client.commands());
	}

}
