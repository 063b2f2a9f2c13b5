package dev.backgroundtasks.execution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.backgroundtasks.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link ScheduleStore} on plain JDBC: portable reads, by the database clock.
 */
public class JdbcScheduleStore implements ScheduleStore {

	private final JdbcTemplate jdbc;

	public JdbcScheduleStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Instant now() {
		OffsetDateTime now = this.jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
		if (now == null) {
			throw new IllegalStateException("The database returned no CURRENT_TIMESTAMP");
		}
		return now.toInstant();
	}

	@Override
	public @Nullable Instant latestFireTime(String task, String scheduleId) {
		OffsetDateTime latest = this.jdbc.queryForObject(
				"SELECT MAX(fire_time) FROM bgt_execution WHERE task_name = ? AND schedule_id = ?",
				OffsetDateTime.class, task, scheduleId);
		return (latest != null) ? latest.toInstant() : null;
	}

	@Override
	public boolean exists(String task, String scheduleId, Instant fireTime) {
		List<Integer> found = this.jdbc.queryForList(
				"SELECT 1 FROM bgt_execution WHERE task_name = ? AND schedule_id = ? AND fire_time = ?", Integer.class,
				task, scheduleId, utc(fireTime));
		return !found.isEmpty();
	}

	@Override
	public boolean hasActiveExecution(String task) {
		List<Integer> found = this.jdbc.queryForList("SELECT 1 FROM bgt_execution WHERE task_name = ? AND status IN ('"
				+ TaskStatus.READY.name() + "', '" + TaskStatus.RUNNING.name() + "') FETCH FIRST 1 ROWS ONLY",
				Integer.class, task);
		return !found.isEmpty();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
