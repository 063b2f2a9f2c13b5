package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.web.ApiAccess;
import dev.backgroundtasks.web.ApiAccessInterceptor;
import dev.backgroundtasks.web.SpringSecurityApiAccess;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of access control for the REST API with Spring Security: each of the starter's
 * endpoints checks that the caller holds a read or an operate authority, in addition to the
 * application's own security filter chain, which it never replaces. Runs before
 * {@link BackgroundTasksWebAutoConfiguration}, whose {@link ApiAccess} (everyone operates) is the
 * fallback without Spring Security.
 */
@AutoConfiguration(after = BackgroundTasksAutoConfiguration.class, before = BackgroundTasksWebAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, SecurityContextHolder.class, SecurityFilterChain.class })
@ConditionalOnBean(ExecutionCommands.class)
@ConditionalOnBooleanProperty(name = "background-tasks.web.enabled", matchIfMissing = true)
public final class BackgroundTasksSecurityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "background-tasks.security.enabled", matchIfMissing = true)
	static class AuthorityCheckConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ApiAccess backgroundTasksApiAccess(BackgroundTasksProperties properties,
				ObjectProvider<SecurityContextHolderStrategy> contexts) {
			return apiAccess(properties, contexts);
		}

		@Bean
		@ConditionalOnMissingBean
		ApiAccessInterceptor backgroundTasksApiAccessInterceptor(BackgroundTasksProperties properties,
				ObjectProvider<SecurityContextHolderStrategy> contexts, JsonMapper mapper) {
			return new ApiAccessInterceptor(apiAccess(properties, contexts), mapper);
		}

		@Bean
		WebMvcConfigurer backgroundTasksApiAccessCheck(ApiAccessInterceptor interceptor) {
			return new WebMvcConfigurer() {

				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					registry.addInterceptor(interceptor);
				}

			};
		}

		private static SpringSecurityApiAccess apiAccess(BackgroundTasksProperties properties,
				ObjectProvider<SecurityContextHolderStrategy> contexts) {
			return new SpringSecurityApiAccess(contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy),
					properties.getSecurity().getReadAuthorities(), properties.getSecurity().getOperateAuthorities());
		}

	}

	/**
	 * The application's rules alone decide who gets to the endpoints; the principal's name is still
	 * known.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "background-tasks.security.enabled", havingValue = false)
	static class WithoutAuthorityChecksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ApiAccess backgroundTasksApiAccess(ObjectProvider<SecurityContextHolderStrategy> contexts) {
			return SpringSecurityApiAccess
				.withoutAuthorityChecks(contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
		}

	}

}
