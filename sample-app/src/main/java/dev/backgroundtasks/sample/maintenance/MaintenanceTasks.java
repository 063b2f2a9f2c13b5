package dev.backgroundtasks.sample.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.sample.users.AppUserRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tasks that run on schedules. Each fire time becomes one execution, whatever the number of
 * instances sharing the database.
 */
@Component
public class MaintenanceTasks {

	private static final Log logger = LogFactory.getLog(MaintenanceTasks.class);

	private final JdbcTemplate jdbc;

	private final AppUserRepository users;

	public MaintenanceTasks(JdbcTemplate jdbc, AppUserRepository users) {
		this.jdbc = jdbc;
		this.users = users;
	}

	// The starter deletes its own finished executions (background-tasks.retention.*); this cleans the
	// application's data: the run log the crash test writes.
	@BackgroundTask(name = "clean-up", cron = "0 3 * * *", tags = "maintenance",
			description = "Deletes crash-test run records older than some days, every night at 03:00 UTC")
	public int cleanUp(@TaskParam(defaultValue = "30", description = "Keep records this recent") int days) {
		Instant before = Instant.now().minus(Duration.ofDays(days));
		int deleted = this.jdbc.update("DELETE FROM crash_run WHERE ran_at < ?", before.atOffset(ZoneOffset.UTC));
		logger.info("Clean-up deleted " + deleted + " crash-test run records from before " + before);
		return deleted;
	}

	@BackgroundTask(tags = "maintenance", description = "Logs a heartbeat line with the number of users")
	@TaskSchedule(every = "30s")
	public long heartbeat() {
		long count = this.users.count();
		logger.info("Heartbeat: " + count + " users");
		return count;
	}

}
