package dev.backgroundtasks.modulith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.autoconfigure.BackgroundTasksAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksModulithAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties;
import dev.backgroundtasks.autoconfigure.BackgroundTasksSchedulerAutoConfiguration;
import dev.backgroundtasks.autoconfigure.BackgroundTasksWorkerAutoConfiguration;
import dev.backgroundtasks.modulith.IncompletePublicationResubmitterTests.RecordingPublications;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.test.util.AopTestUtils;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.config.EventExternalizationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksModulithAutoConfiguration}: every condition and back-off.
 */
class BackgroundTasksModulithAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
				TransactionAutoConfiguration.class, BackgroundTasksAutoConfiguration.class,
				BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class,
				BackgroundTasksModulithAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}", "background-tasks.worker.enabled=false",
				"background-tasks.scheduler.enabled=false");

	/** With Modulith's registry (its multicaster is the IncompleteEventPublications) and externalization. */
	private final ApplicationContextRunner withModulith = this.contextRunner
		.withConfiguration(AutoConfigurations.of(EventExternalizationAutoConfiguration.class))
		.withBean(IncompleteEventPublications.class, RecordingPublications::new)
		.withBean(EventExternalizationConfiguration.class, EventExternalizationConfiguration::disabled);

	@Test
	void resubmitsAndExternalizesWhereModulithsRegistryIsInUse() {
		this.withModulith.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(IncompletePublicationResubmitter.class)
			.hasSingleBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void providesNothingWithoutModulith() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.modulith"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskClient.class)
				.doesNotHaveBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void providesNothingWithoutAnEventPublicationRegistry() {
		this.contextRunner.withBean(EventExternalizationConfiguration.class, EventExternalizationConfiguration::disabled)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void providesNothingWhenDisabled() {
		this.withModulith.withPropertyValues("background-tasks.modulith.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void providesNothingWhenBackgroundTasksAreDisabled() {
		this.withModulith.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void resubmissionCanBeSwitchedOffAlone() {
		this.withModulith.withPropertyValues("background-tasks.modulith.resubmission.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IncompletePublicationResubmitter.class)
				.hasSingleBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void externalizationCanBeSwitchedOffAlone() {
		this.withModulith.withPropertyValues("background-tasks.modulith.externalization.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void noExternalizerWhenModulithsExternalizationIsOff() {
		this.withModulith.withPropertyValues("spring.modulith.events.externalization.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void noExternalizerWithoutAnExternalizationConfiguration() {
		this.contextRunner.withBean(IncompleteEventPublications.class, RecordingPublications::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(IncompletePublicationResubmitter.class)
				.doesNotHaveBean(TaskSubmittingEventExternalizer.class));
	}

	@Test
	void backsOffForUserBeans() {
		IncompletePublicationResubmitter resubmitter = new IncompletePublicationResubmitter(new RecordingPublications(),
				new ResubmissionPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ZERO), 1,
				Clock.systemUTC());
		TaskSubmittingEventExternalizer externalizer = new TaskSubmittingEventExternalizer(
				EventExternalizationConfiguration.disabled(), mock(TaskClient.class), JsonMapper.builder().build());
		this.withModulith.withBean(IncompletePublicationResubmitter.class, () -> resubmitter)
			.withBean(TaskSubmittingEventExternalizer.class, () -> externalizer)
			.run((context) -> {
				assertThat(context).hasSingleBean(IncompletePublicationResubmitter.class)
					.hasSingleBean(TaskSubmittingEventExternalizer.class);
				// The beans are proxied (@Async, @Transactional): compare what they proxy.
				assertThat((Object) AopTestUtils.getUltimateTargetObject(
						context.getBean(IncompletePublicationResubmitter.class)))
					.isSameAs(resubmitter);
				assertThat((Object) AopTestUtils.getUltimateTargetObject(
						context.getBean(TaskSubmittingEventExternalizer.class)))
					.isSameAs(externalizer);
			});
	}

	@Test
	void registersTheResubmissionTaskOnTheConfiguredInterval() {
		this.withModulith.withPropertyValues("background-tasks.modulith.resubmission.interval=5s")
			.run((context) -> {
				TaskInfo task = context.getBean(TaskRegistry.class)
					.find(IncompletePublicationResubmitter.TASK)
					.orElseThrow();
				assertThat(task.schedules()).extracting(ScheduleInfo::expression).containsExactly("every 5s");
				assertThat(task.tags()).containsExactly("modulith");
			});
	}

	@Test
	void theIntervalOfTheScheduleDefaultsToTheDefaultOfTheProperty() {
		assertThat(DurationStyle.detectAndParse(IncompletePublicationResubmitter.DEFAULT_INTERVAL))
			.isEqualTo(new BackgroundTasksProperties().getModulith().getResubmission().getInterval());
		this.withModulith.run((context) -> assertThat(context.getBean(TaskRegistry.class)
			.find(IncompletePublicationResubmitter.TASK)
			.orElseThrow()
			.schedules()).extracting(ScheduleInfo::expression)
			.containsExactly("every " + IncompletePublicationResubmitter.DEFAULT_INTERVAL));
	}

	@Test
	void theSettingsShapeTheResubmission() {
		// max-resubmissions=0: a failed publication is left for an operator at once.
		this.withModulith.withPropertyValues("background-tasks.modulith.resubmission.max-resubmissions=0")
			.run((context) -> {
				RecordingPublications publications = context.getBean(RecordingPublications.class);
				publications.incomplete.add(TestPublication.failed(1, Instant.now().minusSeconds(3600)));
				Map<String, Integer> result = context.getBean(IncompletePublicationResubmitter.class).resubmit();
				assertThat(result).containsEntry("exhausted", 1).containsEntry("resubmitted", 0);
			});
	}

	@Test
	void invalidSettingsFailStartUpNamingThem() {
		this.withModulith.withPropertyValues("background-tasks.modulith.resubmission.min-delay=2h")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("maxDelay must not be shorter than minDelay"));
		this.withModulith.withPropertyValues("background-tasks.modulith.resubmission.batch-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid settings under background-tasks.modulith.resubmission")
				.hasStackTraceContaining("batchSize must be positive"));
	}

}
