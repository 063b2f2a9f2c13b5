package dev.backgroundtasks.autoconfigure;

import java.util.List;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.web.ApiAccess;
import dev.backgroundtasks.web.ApiAccessInterceptor;
import dev.backgroundtasks.web.SpringSecurityApiAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BackgroundTasksSecurityAutoConfiguration}, and for the {@link ApiAccess} that
 * {@link BackgroundTasksWebAutoConfiguration} falls back to without it.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundTasksSecurityAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class, JacksonAutoConfiguration.class,
			TransactionAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			BackgroundTasksAutoConfiguration.class, BackgroundTasksWorkerAutoConfiguration.class,
			BackgroundTasksSchedulerAutoConfiguration.class, BackgroundTasksSecurityAutoConfiguration.class,
			BackgroundTasksWebAutoConfiguration.class);

	private static final String UNSECURED_WARNING = "Spring Security is not on the classpath";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}");

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void checksEveryEndpointOfTheApiWithSpringSecurity(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ApiAccessInterceptor.class)
				.getBean(ApiAccess.class)
				.isInstanceOf(SpringSecurityApiAccess.class);
			ApiAccessInterceptor interceptor = context.getBean(ApiAccessInterceptor.class);
			assertThat(interceptors(context, "GET", "/api/v1/tasks")).contains(interceptor);
			assertThat(interceptors(context, "GET", "/api/v1/executions/stream")).contains(interceptor);
			assertThat(interceptors(context, "POST", "/api/v1/tasks/add/$execute")).contains(interceptor);
		});
		assertThat(output.getAll()).doesNotContain(UNSECURED_WARNING);
	}

	@Test
	void operatorsHoldAnOperateAuthorityAndAreNamed() {
		this.contextRunner.run((context) -> {
			ApiAccess access = context.getBean(ApiAccess.class);
			assertThat(access.isOperator()).isFalse();
			assertThat(access.principalName()).isNull();
			authenticate("ada", "BACKGROUND_TASKS_READ");
			assertThat(access.isOperator()).isFalse();
			assertThat(access.principalName()).isEqualTo("ada");
			authenticate("grace", "BACKGROUND_TASKS_OPERATE");
			assertThat(access.isOperator()).isTrue();
			assertThat(access.principalName()).isEqualTo("grace");
		});
	}

	@Test
	void comparesConfiguredAuthoritiesExactly() {
		this.contextRunner
			.withPropertyValues("background-tasks.security.read-authorities=ROLE_AUDITOR",
					"background-tasks.security.operate-authorities=ROLE_ADMIN,ops")
			.run((context) -> {
				ApiAccess access = context.getBean(ApiAccess.class);
				authenticate("ada", "ROLE_ADMIN");
				assertThat(access.isOperator()).isTrue();
				authenticate("ada", "ops");
				assertThat(access.isOperator()).isTrue();
				authenticate("ada", "ADMIN", "role_admin", "OPS", "BACKGROUND_TASKS_OPERATE");
				assertThat(access.isOperator()).isFalse();
			});
	}

	@Test
	void readsTheApplicationsSecurityContextHolderStrategy() {
		authenticate("not-in-the-strategy");
		this.contextRunner.withUserConfiguration(CustomStrategyConfiguration.class).run((context) -> {
			ApiAccess access = context.getBean(ApiAccess.class);
			assertThat(access.isOperator()).isTrue();
			assertThat(access.principalName()).isEqualTo("ada");
		});
	}

	@Test
	void requiresAnOperateAuthority() {
		this.contextRunner.withPropertyValues("background-tasks.security.operate-authorities=")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("background-tasks.security.operate-authorities"));
	}

	@Test
	void securityDisabledLeavesAccessToTheApplicationAndStillNamesThePrincipal(CapturedOutput output) {
		this.contextRunner.withPropertyValues("background-tasks.security.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ApiAccessInterceptor.class).hasSingleBean(ApiAccess.class);
			assertThat(interceptors(context, "POST", "/api/v1/tasks/add/$execute"))
				.noneMatch(ApiAccessInterceptor.class::isInstance);
			ApiAccess access = context.getBean(ApiAccess.class);
			assertThat(access.isOperator()).isTrue();
			assertThat(access.principalName()).isNull();
			authenticate("ada");
			assertThat(access.isOperator()).isTrue();
			assertThat(access.principalName()).isEqualTo("ada");
		});
		assertThat(output.getAll()).doesNotContain(UNSECURED_WARNING);
	}

	@Test
	void withoutSpringSecurityEveryoneOperatesAndStartUpWarnsWhatToDo(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(ApiAccessInterceptor.class)
				.getBean(ApiAccess.class)
				.isSameAs(ApiAccess.EVERYONE);
			assertThat(interceptors(context, "POST", "/api/v1/tasks/add/$execute"))
				.noneMatch(ApiAccessInterceptor.class::isInstance);
		});
		assertThat(output.getAll()).contains(UNSECURED_WARNING)
			.contains("Add spring-boot-starter-security and grant BACKGROUND_TASKS_READ to those who may read,"
					+ " BACKGROUND_TASKS_OPERATE to those who may also execute, cancel, retry, enable and disable")
			.contains("background-tasks.web.read-only=true")
			.contains("background-tasks.web.enabled=false");
	}

	@Test
	void withoutSpringSecurityWebNothingIsChecked(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ApiAccessInterceptor.class)
				.getBean(ApiAccess.class)
				.isSameAs(ApiAccess.EVERYONE));
		assertThat(output.getAll()).contains(UNSECURED_WARNING);
	}

	@Test
	void readOnlyApiStillChecksReads() {
		this.contextRunner.withPropertyValues("background-tasks.web.read-only=true")
			.run((context) -> assertThat(context).hasSingleBean(ApiAccessInterceptor.class)
				.getBean(ApiAccess.class)
				.isInstanceOf(SpringSecurityApiAccess.class));
	}

	@Test
	void webDisabledChecksNothing() {
		this.contextRunner.withPropertyValues("background-tasks.web.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ApiAccessInterceptor.class)
				.doesNotHaveBean(ApiAccess.class));
	}

	@Test
	void checksNothingInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:${random.uuid}")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskClient.class)
				.doesNotHaveBean(ApiAccessInterceptor.class)
				.doesNotHaveBean(ApiAccess.class));
	}

	@Test
	void backsOffForUserApiAccessAndStillChecks() {
		ApiAccess access = mock(ApiAccess.class);
		this.contextRunner.withBean(ApiAccess.class, () -> access)
			.run((context) -> assertThat(context).hasSingleBean(ApiAccessInterceptor.class)
				.getBean(ApiAccess.class)
				.isSameAs(access));
	}

	@Test
	void backsOffForUserInterceptor() {
		ApiAccessInterceptor interceptor = new ApiAccessInterceptor(
				new SpringSecurityApiAccess(SecurityContextHolder.getContextHolderStrategy(), List.of("R"), List.of("O")),
				JsonMapper.builder().build());
		this.contextRunner.withBean(ApiAccessInterceptor.class, () -> interceptor).run((context) -> {
			assertThat(context).getBean(ApiAccessInterceptor.class).isSameAs(interceptor);
			assertThat(interceptors(context, "GET", "/api/v1/tasks")).contains(interceptor);
		});
	}

	private static void authenticate(String name, String... authorities) {
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(name, "secret", authorities));
	}

	private static List<HandlerInterceptor> interceptors(ApplicationContext context, String method, String path)
			throws Exception {
		HandlerExecutionChain chain = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
			.getHandler(new MockHttpServletRequest(method, path));
		assertThat(chain).as("handler of %s %s", method, path).isNotNull();
		return chain.getInterceptorList();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomStrategyConfiguration {

		@Bean
		SecurityContextHolderStrategy customStrategy() {
			SecurityContextHolderStrategy strategy = mock(SecurityContextHolderStrategy.class);
			given(strategy.getContext()).willReturn(new SecurityContextImpl(
					new TestingAuthenticationToken("ada", "secret", "BACKGROUND_TASKS_OPERATE")));
			return strategy;
		}

	}

}
