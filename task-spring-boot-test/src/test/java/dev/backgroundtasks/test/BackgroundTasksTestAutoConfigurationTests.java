package dev.backgroundtasks.test;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BackgroundTasksTestAutoConfiguration}: the test clock from {@code background-tasks.test.clock},
 * the tester only where the engine runs.
 */
class BackgroundTasksTestAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BackgroundTasksTestAutoConfiguration.class));

	@Test
	void theClockStartsAtTheConfiguredInstant() {
		this.contextRunner.withPropertyValues("background-tasks.test.clock=2027-03-27T12:00:00Z")
			.run((context) -> assertThat(context.getBean(TestClock.class).instant())
				.isEqualTo(Instant.parse("2027-03-27T12:00:00Z")));
	}

	@Test
	void theClockStartsAtTheTimeTheContextStartsByDefault() {
		Instant before = Instant.now().minusSeconds(1);
		this.contextRunner.run((context) -> assertThat(context.getBean(TestClock.class).instant()).isAfter(before)
			.isBefore(Instant.now().plusSeconds(1)));
	}

	@Test
	void aClockThatIsNoInstantFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("background-tasks.test.clock=next tuesday")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("background-tasks.test.clock (@BackgroundTasksTest(clock)) must be an ISO-8601"
						+ " instant such as 2027-03-27T12:00:00Z, got 'next tuesday'"));
	}

	@Test
	void backsOffFromAClockOfTheApplication() {
		this.contextRunner.withUserConfiguration(OwnClock.class)
			.run((context) -> assertThat(context).getBean(TestClock.class).isSameAs(OwnClock.CLOCK));
	}

	@Test
	void hasNoTesterWithoutTheEngine() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TestClock.class)
			.doesNotHaveBean(BackgroundTasksTester.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClock {

		static final TestClock CLOCK = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

		@Bean
		TestClock ownTestClock() {
			return CLOCK;
		}

	}

}
