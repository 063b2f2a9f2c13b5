package dev.backgroundtasks.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class SupportedVersionsCheckTests {

	@ParameterizedTest
	@ValueSource(strings = { "4.0.0", "4.0.3", "4.0.7", "4.1.0-RC1", "4.1.2", "4.1.15-SNAPSHOT" })
	void theSupportedLinesPassSilently(String version) {
		assertThat(new SupportedVersionsCheck(version, "3.1.7").check()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "4.2.0", "4.2.0-M1", "4.10.3" })
	void aNewer4xLineIsAWarningNamingIt(String version) {
		assertThat(new SupportedVersionsCheck(version, "3.1.7").check()).contains("Spring Boot " + version,
				"Spring Boot 4.0.x and 4.1.x", "not been tested");
	}

	@ParameterizedTest
	@ValueSource(strings = { "3.5.7", "3.0.0", "2.7.18", "5.0.0", "5.0.0-M1", "40.1.0" })
	void anotherMajorLineFailsNamingTheVersionFoundAndTheSupportedLines(String version) {
		assertThatIllegalStateException().isThrownBy(() -> new SupportedVersionsCheck(version, "3.1.7").check())
			.withMessageContaining("supports Spring Boot 4.0.x and 4.1.x")
			.withMessageContaining("runs on Spring Boot " + version + ";");
	}

	@ParameterizedTest
	@ValueSource(strings = { "3.0.0", "3.0.4", "3.1.7", "3.2.3" })
	void jackson3Passes(String version) {
		assertThat(new SupportedVersionsCheck("4.1.2", version).check()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2.21.4", "4.0.0" })
	void anotherJacksonMajorFailsNamingIt(String version) {
		assertThatIllegalStateException().isThrownBy(() -> new SupportedVersionsCheck("4.1.2", version).check())
			.withMessageContaining("needs Jackson 3.x")
			.withMessageContaining("has Jackson " + version);
	}

	@Test
	void versionsThatCannotBeToldAreNotChecked() {
		assertThat(new SupportedVersionsCheck(null, null).check()).isNull();
		assertThat(new SupportedVersionsCheck("unknown", "").check()).isNull();
	}

	@Test
	void theVersionsOfThisBuildAreSupported() {
		assertThat(new SupportedVersionsCheck().check()).isNull();
	}

	@Test
	void anUnsupportedBootFailsStartUpBeforeAnyBeanIsCreated() {
		SomeConfiguration.created.set(false);
		SpringApplication application = new SpringApplication(SomeConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addInitializers(new SupportedVersionsCheck("3.5.7", "3.1.7"));
		assertThatIllegalStateException().isThrownBy(application::run)
			.withMessage("Background Tasks for Spring Boot supports Spring Boot 4.0.x and 4.1.x, but this"
					+ " application runs on Spring Boot 3.5.7; run the application on Spring Boot 4.0 or 4.1");
		assertThat(SomeConfiguration.created).isFalse();
	}

	@Test
	void aNewer4xLineStartsWithOneWarning(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SomeConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		SupportedVersionsCheck check = new SupportedVersionsCheck("4.2.0", "3.1.7");
		application.setInitializers(List.of(check));
		application.run().close();
		check.initialize(new GenericApplicationContext());
		assertThat(output.getOut().split("a line it has not been tested with", -1)).hasSize(2);
		assertThat(output.getOut()).contains("WARN", "runs on Spring Boot 4.2.0");
	}

	@Test
	void isRegisteredForEveryApplication() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationContextInitializer.class))
			.hasAtLeastOneElementOfType(SupportedVersionsCheck.class);
		assertThat(new SpringApplication(SomeConfiguration.class).getInitializers())
			.hasAtLeastOneElementOfType(SupportedVersionsCheck.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class SomeConfiguration {

		static final AtomicBoolean created = new AtomicBoolean();

		@Bean
		String someBean() {
			created.set(true);
			return "some";
		}

	}

}
