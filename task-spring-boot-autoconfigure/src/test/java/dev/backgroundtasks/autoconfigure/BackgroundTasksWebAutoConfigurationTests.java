package dev.backgroundtasks.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.web.BackgroundTasksExceptionHandler;
import dev.backgroundtasks.web.TaskCommandController;
import dev.backgroundtasks.web.TaskQueryController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksWebAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundTasksWebAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
			TransactionAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class,
			BackgroundTasksWebAutoConfiguration.class);

	private static final String UNSECURED_WARNING = "can execute and cancel tasks, "
			+ "and Spring Security is not on the classpath";

	// An application without Spring Security; with it, see BackgroundTasksSecurityAutoConfigurationTests.
	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withClassLoader(new FilteredClassLoader("org.springframework.security"))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void providesTheRestApiInAServletWebApplication() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TaskQueryController.class)
				.hasSingleBean(TaskCommandController.class)
				.hasSingleBean(BackgroundTasksExceptionHandler.class);
			assertThat(mappings(context)).contains("GET /api/v1/tasks", "GET /api/v1/tasks/{name}",
					"GET /api/v1/executions", "GET /api/v1/executions/{id}", "POST /api/v1/tasks/{name}/$execute",
					"POST /api/v1/executions/{id}/$cancel", "POST /api/v1/tasks/{name}/$enable",
					"POST /api/v1/tasks/{name}/$disable");
		});
	}

	@Test
	void mapsTheRestApiUnderTheConfiguredBasePath() {
		this.contextRunner.withPropertyValues("background-tasks.web.base-path=/ops/jobs")
			.run((context) -> assertThat(mappings(context)).contains("GET /ops/jobs/tasks",
					"POST /ops/jobs/tasks/{name}/$execute")
				.noneMatch((mapping) -> mapping.contains("/api/v1")));
	}

	@Test
	void providesNoRestApiInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskClient.class)
				.doesNotHaveBean(TaskQueryController.class)
				.doesNotHaveBean(TaskCommandController.class)
				.doesNotHaveBean(BackgroundTasksExceptionHandler.class));
	}

	@Test
	void webDisabledProvidesNoRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.web.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TaskClient.class)
				.doesNotHaveBean(TaskQueryController.class)
				.doesNotHaveBean(TaskCommandController.class)
				.doesNotHaveBean(BackgroundTasksExceptionHandler.class));
	}

	@Test
	void backgroundTasksDisabledProvidesNoRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskQueryController.class)
				.doesNotHaveBean(TaskCommandController.class));
	}

	@Test
	void readOnlyKeepsOnlyTheReadEndpoints() {
		this.contextRunner.withPropertyValues("background-tasks.web.read-only=true").run((context) -> {
			assertThat(context).hasSingleBean(TaskQueryController.class)
				.hasSingleBean(BackgroundTasksExceptionHandler.class)
				.doesNotHaveBean(TaskCommandController.class);
			assertThat(mappings(context)).contains("GET /api/v1/tasks").noneMatch((mapping) -> mapping.startsWith("POST"));
		});
	}

	@Test
	void warnsOnceAboutAMutatingApiWithoutSpringSecurity(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll().split(UNSECURED_WARNING, -1)).hasSize(2);
		assertThat(output.getAll()).contains("WARN").contains("background-tasks.web.read-only=true");
	}

	@Test
	void doesNotWarnWhenTheApiIsReadOnly(CapturedOutput output) {
		this.contextRunner.withPropertyValues("background-tasks.web.read-only=true")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).doesNotContain(UNSECURED_WARNING);
	}

	@Test
	void backsOffForUserQueryController() {
		TaskQueryController controller = mock(TaskQueryController.class);
		this.contextRunner.withBean(TaskQueryController.class, () -> controller)
			.run((context) -> assertThat(context).getBean(TaskQueryController.class).isSameAs(controller));
	}

	@Test
	void backsOffForUserCommandController() {
		TaskCommandController controller = mock(TaskCommandController.class);
		this.contextRunner.withBean(TaskCommandController.class, () -> controller)
			.run((context) -> assertThat(context).getBean(TaskCommandController.class).isSameAs(controller));
	}

	@Test
	void backsOffForUserExceptionHandler() {
		BackgroundTasksExceptionHandler handler = new BackgroundTasksExceptionHandler();
		this.contextRunner.withBean(BackgroundTasksExceptionHandler.class, () -> handler)
			.run((context) -> assertThat(context).getBean(BackgroundTasksExceptionHandler.class).isSameAs(handler));
	}

	@Test
	void startsWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskClient.class)
				.doesNotHaveBean(TaskQueryController.class)
				.doesNotHaveBean(TaskCommandController.class));
	}

	@Test
	void startsWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskClient.class)
				.hasSingleBean(TaskQueryController.class));
	}

	private static Set<String> mappings(ApplicationContext context) {
		return context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
			.getHandlerMethods()
			.keySet()
			.stream()
			.flatMap((info) -> info.getPatternValues()
				.stream()
				.flatMap((pattern) -> info.getMethodsCondition()
					.getMethods()
					.stream()
					.map((method) -> method.name() + " " + pattern)))
			.collect(Collectors.toSet());
	}

}
