package dev.backgroundtasks.test;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.autoconfigure.BackgroundTasksAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksSchedulerAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksWorkerAutoConfiguration;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.BackgroundTaskScheduler;
import dev.backgroundtasks.schedule.ScheduleCatalog;
import dev.backgroundtasks.support.WorkSignal;
import dev.backgroundtasks.worker.TaskWorker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What {@link BackgroundTasksTest} imports: the {@link TestClock} (which the engine's auto-configuration
 * picks up as its clock override) and the {@link BackgroundTasksTester}.
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class,
		BackgroundTasksWorkerAutoConfiguration.class })
public final class BackgroundTasksTestAutoConfiguration {

	static final String CLOCK = "background-tasks.test.clock";

	static final String AWAIT_TIMEOUT = "background-tasks.test.await-timeout";

	@Bean
	@ConditionalOnMissingBean
	TestClock backgroundTasksTestClock(Environment environment) {
		String start = environment.getProperty(CLOCK, "").trim();
		if (start.isEmpty()) {
			return new TestClock(Instant.now());
		}
		try {
			return new TestClock(Instant.parse(start));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(CLOCK + " (@BackgroundTasksTest(clock)) must be an ISO-8601 instant such"
					+ " as 2027-03-27T12:00:00Z, got '" + start + "'", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(TaskClient.class)
	BackgroundTasksTester backgroundTasksTester(TestClock clock, Environment environment, DefaultTaskRegistry registry,
			ExecutionQueries queries, ExecutionStore store, TaskClient client, WorkSignal signal, DatabaseDialect dialect,
			DataSource dataSource, ObjectProvider<TaskWorker> worker, ObjectProvider<BackgroundTaskScheduler> scheduler,
			ObjectProvider<ScheduleCatalog> catalog, ObjectProvider<TaskEnablement> enablement) {
		Duration awaitTimeout = DurationStyle.detectAndParse(environment.getProperty(AWAIT_TIMEOUT, "10s"));
		TaskEnablement switches = enablement.getIfAvailable();
		ScheduleCatalog schedules = catalog.getIfAvailable();
		EngineActivity activity = new EngineActivity(dialect.jdbcTemplate(dataSource),
				(task) -> registry.definition(task).isPresent() && (switches == null || switches.isEnabled(task)),
				worker.getIfAvailable() != null);
		ScheduleStops stops = (schedules != null && switches != null)
				? new ScheduleStops(registry, schedules, switches) : null;
		return new BackgroundTasksTester(clock, awaitTimeout, registry, queries, store, client, signal, activity,
				scheduler.getIfAvailable(), schedules, stops);
	}

}
