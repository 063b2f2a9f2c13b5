package dev.backgroundtasks.compatibility;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A Spring Boot 3.5 application with the starter added, with the classpath a user gets (the Boot 3.5 BOM
 * manages what it knows, the rest comes at the starter's versions): start-up fails at once, naming the
 * version found and the supported lines, rather than at some later call.
 */
class UnsupportedSpringBootTests {

	@Test
	void startUpFailsNamingTheVersionFoundAndTheSupportedLines() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringApplication.run(SomeApplication.class,
					"--spring.datasource.url=jdbc:h2:mem:refused", "--server.port=0"))
			.withMessage("Background Tasks for Spring Boot supports Spring Boot 4.0.x and 4.1.x, but this application"
					+ " runs on Spring Boot " + SpringBootVersion.getVersion()
					+ "; run the application on Spring Boot 4.0 or 4.1");
	}

	@SpringBootApplication
	static class SomeApplication {

	}

}
