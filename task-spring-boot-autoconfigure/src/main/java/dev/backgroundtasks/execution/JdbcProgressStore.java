package dev.backgroundtasks.execution;

import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.TaskStatus;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes progress with one guarded {@code UPDATE}: only while the execution is {@code RUNNING} under
 * the same node and attempt, so a zombie attempt cannot overwrite the progress of a newer one.
 */
public class JdbcProgressStore implements ProgressStore {

	static final int MAX_MESSAGE = 1000;

	private static final String UPDATE = "UPDATE bgt_execution SET progress_current = ?, progress_total = ?,"
			+ " progress_message = ? WHERE id = ? AND "
			+ ExecutionTransitions.of(TaskStatus.RUNNING, TaskStatus.SUCCESSFUL).guardById() + " AND node = ? AND claim_token = ?";

	private final JdbcTemplate jdbc;

	public JdbcProgressStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean write(ClaimedExecution claim, ExecutionProgress progress) {
		String message = progress.message();
		if (message != null && message.length() > MAX_MESSAGE) {
			message = message.substring(0, MAX_MESSAGE);
		}
		return this.jdbc.update(UPDATE, progress.current(), progress.total(), message, claim.id(), claim.node(),
				claim.claimToken()) == 1;
	}

}
