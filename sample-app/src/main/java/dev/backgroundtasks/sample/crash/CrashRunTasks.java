package dev.backgroundtasks.sample.crash;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskParam;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The crash test's task: it works a little, then records that it ran, and on which node. Every run
 * inserts a row (outside any transaction of the engine), so a seq that ran twice shows up twice in
 * {@code crash_run}, which is what the crash test counts.
 */
@Component
@Profile("crash-test")
public class CrashRunTasks {

	private static final long WORK_MILLIS = 5;

	private final JdbcTemplate jdbc;

	private final String node;

	public CrashRunTasks(JdbcTemplate jdbc, @Value("${background-tasks.node-name:unnamed}") String node) {
		this.jdbc = jdbc;
		this.node = node;
	}

	@BackgroundTask(name = "record-run", description = "Sleeps about 5 ms, then records the run in crash_run",
			tags = "crash-test")
	public void recordRun(@TaskParam(description = "The sequence number of this submission") int seq)
			throws InterruptedException {
		Thread.sleep(WORK_MILLIS);
		this.jdbc.update("INSERT INTO crash_run (seq, node) VALUES (?, ?)", seq, this.node);
	}

}
