package dev.backgroundtasks.execution;

import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link TaskStateStore} on plain JDBC, one row per task that was ever enabled or disabled at
 * runtime in {@code bgt_task_state}.
 */
public class JdbcTaskStateStore implements TaskStateStore {

	private final JdbcTemplate jdbc;

	private final DatabaseDialect dialect;

	public JdbcTaskStateStore(JdbcTemplate jdbc, DatabaseDialect dialect) {
		this.jdbc = jdbc;
		this.dialect = dialect;
	}

	@Override
	public Set<String> disabledTasks() {
		return Set.copyOf(
				this.jdbc.queryForList("SELECT task_name FROM bgt_task_state WHERE enabled = FALSE", String.class));
	}

	@Override
	public void setEnabled(String task, boolean enabled) {
		this.jdbc.update(this.dialect.upsertTaskState(), task, enabled);
	}

}
