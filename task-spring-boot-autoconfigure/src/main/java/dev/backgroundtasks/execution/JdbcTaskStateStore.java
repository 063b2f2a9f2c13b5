package dev.backgroundtasks.execution;

import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link TaskStateStore} on plain JDBC, one row per task that was ever enabled or disabled at
 * runtime in {@code bgt_task_state}.
 */
public class JdbcTaskStateStore implements TaskStateStore {

	private final JdbcTemplate jdbc;

	private final DatabaseKind database;

	public JdbcTaskStateStore(JdbcTemplate jdbc, DatabaseKind database) {
		this.jdbc = jdbc;
		this.database = database;
	}

	@Override
	public Set<String> disabledTasks() {
		return Set.copyOf(
				this.jdbc.queryForList("SELECT task_name FROM bgt_task_state WHERE enabled = FALSE", String.class));
	}

	@Override
	public void setEnabled(String task, boolean enabled) {
		String upsert = switch (this.database) {
			case POSTGRESQL -> "INSERT INTO bgt_task_state (task_name, enabled, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)"
					+ " ON CONFLICT (task_name) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at";
			case H2 -> "MERGE INTO bgt_task_state (task_name, enabled, updated_at) KEY (task_name)"
					+ " VALUES (?, ?, CURRENT_TIMESTAMP)";
		};
		this.jdbc.update(upsert, task, enabled);
	}

}
