package dev.backgroundtasks.it;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.it.app.TestTasksApplication;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.ExecutionPolicy;
import dev.backgroundtasks.registry.ScheduleDeclaration;
import dev.backgroundtasks.registry.TaskDefinition;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.BackgroundTaskScheduler;
import dev.backgroundtasks.schedule.ScheduleTicker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler on a real database shared by several nodes (application contexts): each fire time
 * stored once, misfire catch-up after a restart, runtime disable and the kill switch across nodes. Run on
 * PostgreSQL and on MariaDB by the subclasses.
 */
abstract class AbstractSchedulerTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@Test
	void twoNodesStoreEachFireTimeOfAnEverySecondScheduleExactlyOnce() {
		String url = freshUrl();
		try (ConfigurableApplicationContext first = node(url, "node-a", "test.schedules.every-second=1s");
				ConfigurableApplicationContext second = node(url, "node-b", "test.schedules.every-second=1s")) {
			JdbcTemplate jdbc = jdbc(first);
			await().atMost(PATIENCE).until(() -> count(jdbc, "every-second") >= 10);
			first.stop();
			second.stop();
			// Stopped nodes hand back what they had claimed but not started: READY again, never lost.
			await().atMost(PATIENCE)
				.until(() -> count(jdbc, "every-second") == count(jdbc, "every-second", "SUCCESSFUL")
						+ count(jdbc, "every-second", "READY"));
			List<Instant> fireTimes = fireTimes(jdbc, "every-second");
			assertThat(fireTimes).hasSizeGreaterThanOrEqualTo(10).doesNotHaveDuplicates().isSorted();
			for (int i = 1; i < fireTimes.size(); i++) {
				assertThat(Duration.between(fireTimes.get(i - 1), fireTimes.get(i)))
					.as("gap before %s", fireTimes.get(i))
					.isEqualTo(Duration.ofSeconds(1));
			}
			assertThat(ticker(first).getFiredCount() + ticker(second).getFiredCount()).isEqualTo(fireTimes.size());
			assertThat(jdbc.queryForList(
					"SELECT DISTINCT trigger_type FROM bgt_execution WHERE task_name = 'every-second'", String.class))
				.containsExactly("SCHEDULE");
		}
	}

	@Test
	void restartAfterMissedFireTimesFiresOneCatchUpOrNoneWithSkip() {
		String url = freshUrl();
		String[] schedules = { "test.schedules.catch-up=@yearly", "test.schedules.skip-missed=@yearly" };
		// The application last ran two years ago: the fire times of last and this January were missed.
		OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC)
			.withDayOfYear(1)
			.toLocalDate()
			.atStartOfDay()
			.minusYears(2)
			.atOffset(ZoneOffset.UTC);
		try (ConfigurableApplicationContext before = node(url, "node-a", schedules)) {
			JdbcTemplate jdbc = jdbc(before);
			before.stop();
			storeFinishedTick(jdbc, "catch-up", longAgo);
			storeFinishedTick(jdbc, "skip-missed", longAgo);
		}
		try (ConfigurableApplicationContext node = node(url, "node-a", schedules)) {
			JdbcTemplate jdbc = jdbc(node);
			await().atMost(PATIENCE).until(() -> ticker(node).getMisfireCount() == 2);
			await().atMost(PATIENCE).until(() -> count(jdbc, "catch-up", "SUCCESSFUL") == 2);
			assertThat(fireTimes(jdbc, "catch-up")).containsExactly(longAgo.toInstant(),
					longAgo.plusYears(2).toInstant());
			assertThat(fireTimes(jdbc, "skip-missed")).containsExactly(longAgo.toInstant());
			long rounds = ticker(node).getRoundCount();
			await().atMost(PATIENCE).until(() -> ticker(node).getRoundCount() >= rounds + 3);
			assertThat(count(jdbc, "catch-up")).as("no storm").isEqualTo(2);
		}
	}

	@Test
	void disablingOnOneNodeStopsTheScheduleOnTheOtherUntilEnabledAgain() {
		String url = freshUrl();
		try (ConfigurableApplicationContext scheduling = node(url, "node-a", "test.schedules.every-second=1s");
				ConfigurableApplicationContext web = node(url, "node-b", "test.schedules.every-second=1s",
						"background-tasks.scheduler.enabled=false")) {
			JdbcTemplate jdbc = jdbc(scheduling);
			await().atMost(PATIENCE).until(() -> count(jdbc, "every-second") >= 2);
			web.getBean(TaskEnablement.class).disable("every-second");
			long rounds = ticker(scheduling).getRoundCount();
			await().atMost(PATIENCE).until(() -> ticker(scheduling).getRoundCount() > rounds + 1);
			Instant disabledSeen = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class).toInstant();
			long afterDisable = ticker(scheduling).getRoundCount();
			await().atMost(PATIENCE).until(() -> ticker(scheduling).getRoundCount() >= afterDisable + 3);
			assertThat(fireTimes(jdbc, "every-second")).allSatisfy((time) -> assertThat(time).isBefore(disabledSeen));
			assertThatExceptionOfType(TaskDisabledException.class)
				.isThrownBy(() -> scheduling.getBean(TaskClient.class).submit("every-second"));
			web.getBean(TaskEnablement.class).enable("every-second");
			await().atMost(PATIENCE)
				.until(() -> fireTimes(jdbc, "every-second").stream().anyMatch((time) -> time.isAfter(disabledSeen)));
		}
	}

	@Test
	void environmentKillSwitchKeepsATaskFromFiring() {
		String url = freshUrl();
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
					Map.of("BACKGROUND_TASKS_TASKS_EVERYSECOND_ENABLED", "false")));
		try (ConfigurableApplicationContext node = builder(url, "node-a", "test.schedules.every-second=1s")
			.environment(environment)
			.run()) {
			JdbcTemplate jdbc = jdbc(node);
			long rounds = ticker(node).getRoundCount();
			await().atMost(PATIENCE).until(() -> ticker(node).getRoundCount() >= rounds + 3);
			assertThat(count(jdbc, "every-second")).isZero();
			assertThat(node.getBean(TaskEnablement.class).isSwitchedOff("every-second")).isTrue();
		}
	}

	@Test
	void skipsFireTimesWhileTheLastExecutionOfAOneAtATimeTaskIsStillRunning() throws InterruptedException {
		String url = freshUrl();
		CountDownLatch release = new CountDownLatch(1);
		try (ConfigurableApplicationContext node = node(url, "node-a")) {
			JdbcTemplate jdbc = jdbc(node);
			node.getBean(DefaultTaskRegistry.class)
				.register(new TaskDefinition("one-at-a-time", "", List.of(), "test", "oneAtATime()", List.of(), null,
						true, new ExecutionPolicy(-1, null, null, List.of(), null, 1), (arguments) -> {
							release.await(1, TimeUnit.MINUTES);
							return "done";
						}, List.of(new ScheduleDeclaration("", "", "1s", Misfire.FIRE_ONCE))));
			await().atMost(PATIENCE).until(() -> ticker(node).getSkippedCount() >= 2);
			assertThat(count(jdbc, "one-at-a-time")).isOne();
			release.countDown();
			await().atMost(PATIENCE).until(() -> count(jdbc, "one-at-a-time", "SUCCESSFUL") >= 2);
		}
	}

	/**
	 * @return the JDBC URL of a new, empty database (or schema) that the nodes share
	 */
	abstract String freshUrl();

	private static void storeFinishedTick(JdbcTemplate jdbc, String task, OffsetDateTime fireTime) {
		String scheduleId = "cron @yearly UTC";
		jdbc.update("INSERT INTO bgt_execution (id, task_name, status, trigger_type, params, attempt, priority,"
				+ " created_at, run_at, finished_at, schedule_id, fire_time) VALUES (?, ?, 'SUCCESSFUL', 'SCHEDULE',"
				+ " '{}', 1, 0, ?, ?, ?, ?, ?)", UUID.randomUUID(), task, fireTime, fireTime, fireTime, scheduleId,
				fireTime);
	}

	private static ConfigurableApplicationContext node(String url, String name, String... properties) {
		return builder(url, name, properties).run();
	}

	private static SpringApplicationBuilder builder(String url, String name, String... properties) {
		return new SpringApplicationBuilder(TestTasksApplication.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + url, "background-tasks.node-name=" + name,
					"background-tasks.worker.concurrency=2", "spring.datasource.hikari.maximum-pool-size=6")
			.properties(properties);
	}

	private static ScheduleTicker ticker(ConfigurableApplicationContext context) {
		return context.getBean(BackgroundTaskScheduler.class).getTicker();
	}

	/**
	 * @return the template the starter's stores use: on MariaDB it reads and writes times as UTC and
	 * spells {@code CURRENT_TIMESTAMP} as MariaDB does
	 */
	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return context.getBean(DatabaseDialect.class).jdbcTemplate(context.getBean(DataSource.class));
	}

	private static int count(JdbcTemplate jdbc, String task) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = ?", Integer.class, task);
	}

	private static int count(JdbcTemplate jdbc, String task, String status) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE task_name = ? AND status = ?",
				Integer.class, task, status);
	}

	private static List<Instant> fireTimes(JdbcTemplate jdbc, String task) {
		return jdbc.queryForList("SELECT fire_time FROM bgt_execution WHERE task_name = ? ORDER BY fire_time",
				OffsetDateTime.class, task).stream().map(OffsetDateTime::toInstant).toList();
	}

}
