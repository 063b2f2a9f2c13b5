package dev.backgroundtasks.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskDisabledException;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.execution.TaskStateStore;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.BackgroundTaskScheduler;
import dev.backgroundtasks.schedule.ScheduleCatalog;
import dev.backgroundtasks.schedule.ScheduleTicker;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksSchedulerAutoConfiguration}: conditions, back-offs, start-up
 * validation of schedules, configuration overrides and kill switches.
 */
class BackgroundTasksSchedulerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
				BackgroundTasksSchedulerAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void providesTheSchedulerByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(BackgroundTaskScheduler.class)
			.hasSingleBean(ScheduleCatalog.class)
			.hasSingleBean(ScheduleStore.class)
			.hasSingleBean(TaskStateStore.class)
			.hasSingleBean(TaskEnablement.class)
			.hasSingleBean(TaskInfoEnricher.class));
	}

	@Test
	void schedulerDisabledProvidesNoSchedulerButKeepsEnableAndDisable() {
		this.contextRunner.withPropertyValues("background-tasks.scheduler.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTaskScheduler.class)
				.hasSingleBean(TaskEnablement.class)
				.hasSingleBean(TaskInfoEnricher.class));
	}

	@Test
	void immediateModeProvidesNoScheduler() {
		this.contextRunner.withPropertyValues("background-tasks.mode=immediate")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BackgroundTaskScheduler.class));
	}

	@Test
	void backgroundTasksDisabledProvidesNothing() {
		this.contextRunner.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTaskScheduler.class)
				.doesNotHaveBean(TaskEnablement.class));
	}

	@Test
	void backsOffForUserScheduler() {
		BackgroundTaskScheduler scheduler = mock(BackgroundTaskScheduler.class);
		this.contextRunner.withBean(BackgroundTaskScheduler.class, () -> scheduler)
			.run((context) -> assertThat(context).getBean(BackgroundTaskScheduler.class).isSameAs(scheduler));
	}

	@Test
	void backsOffForUserStores() {
		ScheduleStore scheduleStore = mock(ScheduleStore.class);
		TaskStateStore stateStore = mock(TaskStateStore.class);
		this.contextRunner.withBean(ScheduleStore.class, () -> scheduleStore)
			.withBean(TaskStateStore.class, () -> stateStore)
			.withPropertyValues("background-tasks.scheduler.enabled=false")
			.run((context) -> {
				assertThat(context).getBean(ScheduleStore.class).isSameAs(scheduleStore);
				assertThat(context).getBean(TaskStateStore.class).isSameAs(stateStore);
			});
	}

	@Test
	void invalidCronFailsStartUpNamingTaskMethodAndProblem() {
		this.contextRunner.withBean(BadCronTasks.class).run((context) -> assertThat(startupFailure(context))
			.isInstanceOf(InvalidTaskDefinitionException.class)
			.hasMessageContaining("task 'nightly'")
			.hasMessageContaining(BadCronTasks.class.getName() + "#nightly()")
			.hasMessageContaining("invalid cron expression '0 25 * * *'"));
	}

	@Test
	void unknownZoneFailsStartUpNamingTaskMethodAndZone() {
		this.contextRunner.withBean(BadZoneTasks.class).run((context) -> assertThat(startupFailure(context))
			.isInstanceOf(InvalidTaskDefinitionException.class)
			.hasMessageContaining("task 'report'")
			.hasMessageContaining(BadZoneTasks.class.getName() + "#report()")
			.hasMessageContaining("unknown time zone 'Europe/Atlantis'"));
	}

	@Test
	void requiredParameterWithoutDefaultFailsStartUpOfAScheduledTask() {
		this.contextRunner.withBean(RequiredParamTasks.class).run((context) -> assertThat(startupFailure(context))
			.isInstanceOf(InvalidTaskDefinitionException.class)
			.hasMessageContaining("Task 'cleanUp'")
			.hasMessageContaining(RequiredParamTasks.class.getName() + "#cleanUp(int, String)")
			.hasMessageContaining("parameter 'days' is required"));
	}

	@Test
	void invalidCronOverrideFailsStartUpNamingTheProperty() {
		this.contextRunner.withBean(ReportTasks.class)
			.withPropertyValues("background-tasks.tasks.daily-report.cron=every day")
			.run((context) -> assertThat(startupFailure(context)).hasMessageContaining("task 'daily-report'")
				.hasMessageContaining("background-tasks.tasks.daily-report.cron")
				.hasMessageContaining("expected 5 fields"));
	}

	@Test
	void resolvesPlaceholdersAndDashDisablesASchedule() {
		this.contextRunner.withBean(ReportTasks.class)
			.withPropertyValues("reports.cron=0 7 * * 1-5", "reports.zone=America/New_York")
			.run((context) -> {
				assertThat(schedules(context, "daily-report")).extracting(ScheduleInfo::expression, ScheduleInfo::zone)
					.containsExactly(org.assertj.core.groups.Tuple.tuple("0 7 * * 1-5", "America/New_York"),
							org.assertj.core.groups.Tuple.tuple("every 1h", null));
				assertThat(schedules(context, "unscheduled")).isEmpty();
			});
	}

	@Test
	void configurationOverridesCronAndZoneOfATask() {
		this.contextRunner.withBean(ReportTasks.class)
			.withPropertyValues("background-tasks.tasks.Daily_Report.cron=0 6 * * *",
					"background-tasks.tasks.daily-report.zone=Asia/Tokyo")
			.run((context) -> assertThat(schedules(context, "daily-report"))
				.extracting(ScheduleInfo::expression, ScheduleInfo::zone)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("0 6 * * *", "Asia/Tokyo")));
	}

	@Test
	void environmentVariableKillSwitchDisablesTheTaskWhateverItsDashes() {
		this.contextRunner.withBean(ReportTasks.class)
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("BACKGROUND_TASKS_TASKS_DAILYREPORT_ENABLED", "false"))))
			.run((context) -> {
				TaskEnablement enablement = context.getBean(TaskEnablement.class);
				assertThat(enablement.isSwitchedOff("daily-report")).isTrue();
				assertThat(enablement.isEnabled("daily-report")).isFalse();
				assertThat(enablement.isEnabled("unscheduled")).isTrue();
				assertThatExceptionOfType(TaskDisabledException.class)
					.isThrownBy(() -> context.getBean(TaskClient.class).submit("daily-report"))
					.withMessageContaining("switched off by configuration (BACKGROUND_TASKS_TASKS_DAILYREPORT_ENABLED=false)");
				assertThatExceptionOfType(TaskDisabledException.class)
					.isThrownBy(() -> enablement.enable("daily-report"));
				assertThat(enrich(context, "daily-report").enabled()).isFalse();
				assertThat(schedules(context, "daily-report")).allSatisfy(
						(schedule) -> assertThat(schedule.nextRunAt()).as("no next run while disabled").isNull());
			});
	}

	@Test
	void runtimeDisableRejectsSubmissionsUntilEnabledAgain() {
		this.contextRunner.withBean(ReportTasks.class)
			.withPropertyValues("background-tasks.scheduler.enabled=false", "background-tasks.mode=immediate")
			.run((context) -> {
				TaskEnablement enablement = context.getBean(TaskEnablement.class);
				TaskClient client = context.getBean(TaskClient.class);
				enablement.disable("unscheduled");
				assertThatExceptionOfType(TaskDisabledException.class)
					.isThrownBy(() -> client.submit("unscheduled"))
					.withMessageContaining("$enable");
				assertThat(enrich(context, "unscheduled").enabled()).isFalse();
				enablement.enable("unscheduled");
				assertThat(client.submit("unscheduled").status()).isEqualTo(TaskStatus.SUCCESSFUL);
				assertThat(enrich(context, "unscheduled").lastExecution()).isNotNull()
					.satisfies((last) -> assertThat(last.status()).isEqualTo(TaskStatus.SUCCESSFUL));
			});
	}

	@Test
	void conflictingOverridesForOneTaskFailStartUp() {
		this.contextRunner.withBean(ReportTasks.class)
			.withPropertyValues("background-tasks.tasks.daily-report.cron=0 6 * * *",
					"background-tasks.tasks.dailyreport.cron=0 7 * * *")
			.run((context) -> assertThat(startupFailure(context)).hasMessageContaining("name the same task"));
	}

	@Test
	void exposesTheTickerCounters() {
		this.contextRunner.run((context) -> {
			ScheduleTicker ticker = context.getBean(BackgroundTaskScheduler.class).getTicker();
			assertThat(ticker.getSkippedCount()).isZero();
			assertThat(context.getBean(BackgroundTaskScheduler.class).getSkippedCount()).isZero();
		});
	}

	private static Throwable startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static dev.backgroundtasks.TaskInfo enrich(AssertableApplicationContext context, String task) {
		Optional<dev.backgroundtasks.TaskInfo> info = context.getBean(TaskRegistry.class).find(task);
		assertThat(info).isPresent();
		return context.getBean(TaskInfoEnricher.class).enrich(info.get());
	}

	private static List<ScheduleInfo> schedules(AssertableApplicationContext context, String task) {
		return enrich(context, task).schedules();
	}

	static class ReportTasks {

		@BackgroundTask(name = "daily-report", cron = "${reports.cron:0 9 * * *}", zone = "${reports.zone:}")
		@TaskSchedule(every = "1h")
		public String dailyReport(@TaskParam(defaultValue = "all") String region) {
			return "report " + region;
		}

		@BackgroundTask(cron = "${unscheduled.cron:-}")
		public String unscheduled() {
			return "ran";
		}

	}

	static class BadCronTasks {

		@BackgroundTask(cron = "0 25 * * *")
		public void nightly() {
		}

	}

	static class BadZoneTasks {

		@BackgroundTask(cron = "0 9 * * *", zone = "Europe/Atlantis")
		public void report() {
		}

	}

	static class RequiredParamTasks {

		@BackgroundTask
		@TaskSchedule(cron = "@daily")
		public void cleanUp(int days, @TaskParam(defaultValue = "all") String scope) {
		}

	}

}
