package dev.backgroundtasks.execution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link ScheduleStore} on plain JDBC. Each tick is inserted once through the unique index on
 * (task, schedule id, fire time): {@code ON CONFLICT DO NOTHING} on PostgreSQL, so a lost race aborts
 * nothing; on H2 the duplicate key is caught. No lock rows.
 */
public class JdbcScheduleStore implements ScheduleStore {

	private static final String INSERT = "INSERT INTO bgt_execution (id, task_name, status, trigger_type, params,"
			+ " attempt, max_attempts, max_concurrency, priority, created_at, run_at, schedule_id, fire_time) VALUES (?, ?, '"
			+ TaskStatus.READY.name() + "', '" + TaskTrigger.SCHEDULE.name()
			+ "', '{}', 0, ?, ?, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, ?)";

	private final JdbcTemplate jdbc;

	private final DatabaseKind database;

	public JdbcScheduleStore(JdbcTemplate jdbc, DatabaseKind database) {
		this.jdbc = jdbc;
		this.database = database;
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

	@Override
	public boolean insert(UUID id, String task, String scheduleId, Instant fireTime, int maxAttempts,
			int maxConcurrency) {
		if (this.database == DatabaseKind.POSTGRESQL) {
			return this.jdbc.update(INSERT + " ON CONFLICT (task_name, schedule_id, fire_time)"
					+ " WHERE schedule_id IS NOT NULL DO NOTHING", id, task, maxAttempts, maxConcurrency, scheduleId,
					utc(fireTime)) == 1;
		}
		try {
			return this.jdbc.update(INSERT, id, task, maxAttempts, maxConcurrency, scheduleId, utc(fireTime)) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
