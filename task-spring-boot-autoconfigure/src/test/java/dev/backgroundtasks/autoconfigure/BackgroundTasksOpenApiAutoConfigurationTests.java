package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.web.openapi.BackgroundTasksOpenApiCustomizer;
import dev.backgroundtasks.web.openapi.DocumentedApi;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
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
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackgroundTasksOpenApiAutoConfiguration}.
 */
class BackgroundTasksOpenApiAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
			TransactionAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
			BackgroundTasksSchedulerAutoConfiguration.class, BackgroundTasksSecurityAutoConfiguration.class,
			BackgroundTasksWebAutoConfiguration.class, BackgroundTasksOpenApiAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@Test
	void documentsTheRestApiWithSpringdoc() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(BackgroundTasksOpenApiCustomizer.class));
	}

	@Test
	void documentsTheReadOnlyRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.web.read-only=true")
			.run((context) -> assertThat(context).hasSingleBean(BackgroundTasksOpenApiCustomizer.class));
	}

	@Test
	void isOffWithoutSpringdoc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springdoc"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksOpenApiCustomizer.class)
				.hasBean("taskQueryController")
				.hasBean("taskCommandController"));
	}

	@Test
	void isOffWithTheRestApi() {
		this.contextRunner.withPropertyValues("background-tasks.web.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksOpenApiCustomizer.class));
	}

	@Test
	void isOffInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BackgroundTasksOpenApiCustomizer.class));
	}

	@Test
	void backsOffFromAUserDefinedCustomizer() {
		this.contextRunner.withBean("myCustomizer", BackgroundTasksOpenApiCustomizer.class,
				() -> new BackgroundTasksOpenApiCustomizer(new DefaultTaskRegistry(), JsonMapper.builder().build(),
						new DocumentedApi("/mine", 10, Duration.ofSeconds(1), DataSize.ofKilobytes(1), null)))
			.run((context) -> assertThat(context).getBean(BackgroundTasksOpenApiCustomizer.class)
				.isSameAs(context.getBean("myCustomizer")));
	}

	@Test
	void documentsTheConfiguredAuthoritiesWhereTheStarterChecksThem() {
		this.contextRunner
			.withPropertyValues("background-tasks.security.read-authorities=AUDITOR",
					"background-tasks.security.operate-authorities=ADMIN")
			.run((context) -> {
				ApiResponses responses = documented(context, "/api/v1/tasks");
				assertThat(responses).containsKeys("200", "401", "403");
				assertThat(responses.get("403").getDescription()).contains("[AUDITOR, ADMIN]");
			});
	}

	@Test
	void documentsNoAuthoritiesWithoutSpringSecurity() {
		// Only the web part: hiding all of Spring Security would also hide the context-propagation accessor
		// that spring-security-core registers, and break Micrometer's registry for the rest of the JVM.
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(documented(context, "/api/v1/tasks")).containsOnlyKeys("200"));
	}

	@Test
	void documentsNoAuthoritiesWhenTheStarterChecksNone() {
		this.contextRunner.withPropertyValues("background-tasks.security.enabled=false")
			.run((context) -> assertThat(documented(context, "/api/v1/tasks")).containsOnlyKeys("200"));
	}

	/** The responses of {@code GET path} once the customizer has gone over a document holding it. */
	private static ApiResponses documented(ApplicationContext context, String path) {
		Operation operation = new Operation().responses(
				new ApiResponses().addApiResponse("200", new ApiResponse().description("OK")));
		OpenAPI openApi = new OpenAPI().paths(new Paths().addPathItem(path, new PathItem().get(operation)));
		context.getBean(BackgroundTasksOpenApiCustomizer.class).customise(openApi);
		assertThat(operation.getTags()).isEqualTo(List.of("Background tasks"));
		return operation.getResponses();
	}

}
