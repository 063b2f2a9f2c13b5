package dev.backgroundtasks.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import dev.backgroundtasks.web.dashboard.DashboardData;
import dev.backgroundtasks.web.dashboard.DashboardExecutionController;
import dev.backgroundtasks.web.dashboard.DashboardFormat;
import dev.backgroundtasks.web.dashboard.DashboardOverviewController;
import dev.backgroundtasks.web.dashboard.DashboardTaskController;
import dev.backgroundtasks.web.dashboard.DashboardView;
import dev.backgroundtasks.web.ApiAccess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksDashboardAutoConfiguration}.
 */
class BackgroundTasksDashboardAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
			TransactionAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
			BackgroundTasksSchedulerAutoConfiguration.class, BackgroundTasksWebAutoConfiguration.class,
			BackgroundTasksDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void servesTheDashboardWithTheRestApi() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DashboardView.class)
				.hasSingleBean(DashboardData.class)
				.hasSingleBean(DashboardOverviewController.class)
				.hasSingleBean(DashboardTaskController.class)
				.hasSingleBean(DashboardExecutionController.class);
			assertThat(mappings(context)).contains("GET /background-tasks", "GET /background-tasks/tasks",
					"GET /background-tasks/tasks/{name}", "POST /background-tasks/tasks/{name}/run",
					"GET /background-tasks/executions", "GET /background-tasks/executions/{id}",
					"POST /background-tasks/executions/bulk", "GET /background-tasks/nodes");
		});
	}

	@Test
	void servesTheDashboardAtTheConfiguredPath() {
		this.contextRunner.withPropertyValues("background-tasks.dashboard.path=/ops/console")
			.run((context) -> assertThat(mappings(context)).contains("GET /ops/console/executions")
				.noneMatch((mapping) -> mapping.contains("/background-tasks")));
	}

	@Test
	void canBeTurnedOff() {
		this.contextRunner.withPropertyValues("background-tasks.dashboard.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DashboardView.class)
				.doesNotHaveBean(DashboardTaskController.class));
	}

	@Test
	void isOffWithTheRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.web.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardView.class));
	}

	@Test
	void isOffWithoutThymeleaf() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.thymeleaf"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DashboardView.class)
				.hasBean("taskQueryController"));
	}

	@Test
	void isOffInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardView.class));
	}

	@Test
	void backsOffFromAUserDefinedView() {
		this.contextRunner
			.withBean("myView", DashboardView.class,
					() -> new DashboardView("/mine", "/api/v1", ApiAccess.EVERYONE, true,
							new DashboardFormat(JsonMapper.builder().build())))
			.run((context) -> assertThat(context).getBean(DashboardView.class).isSameAs(context.getBean("myView")));
	}

	@Test
	void isReadOnlyWithTheRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.web.read-only=true")
			.run((context) -> assertThat(context.getBean(DashboardView.class).mayOperate()).isFalse());
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
