package dev.backgroundtasks.autoconfigure;

import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.web.ApiAccessInterceptor;
import dev.backgroundtasks.web.TaskQueryController;
import dev.backgroundtasks.web.openapi.BackgroundTasksOpenApiCustomizer;
import dev.backgroundtasks.web.openapi.DocumentedApi;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the REST API's OpenAPI description, when springdoc-openapi is on the classpath and
 * the API is on: its operations completed, and one operation per task, in the application's
 * {@code /v3/api-docs} and Swagger UI.
 */
@AutoConfiguration(
		after = { BackgroundTasksWebAutoConfiguration.class, BackgroundTasksSecurityAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ GlobalOpenApiCustomizer.class, OpenAPI.class })
@ConditionalOnBean({ TaskQueryController.class, DefaultTaskRegistry.class })
public final class BackgroundTasksOpenApiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BackgroundTasksOpenApiCustomizer backgroundTasksOpenApiCustomizer(DefaultTaskRegistry registry, JsonMapper mapper,
			BackgroundTasksProperties properties, ObjectProvider<ApiAccessInterceptor> authorityChecks) {
		BackgroundTasksProperties.Web web = properties.getWeb();
		BackgroundTasksProperties.Security security = properties.getSecurity();
		DocumentedApi.Authorities authorities = (authorityChecks.getIfAvailable() != null)
				? new DocumentedApi.Authorities(security.getReadAuthorities(), security.getOperateAuthorities()) : null;
		return new BackgroundTasksOpenApiCustomizer(registry, mapper, new DocumentedApi(web.getBasePath(),
				web.getMaxPageSize(), web.getMaxWait(), web.getMaxRequestSize(), authorities));
	}

}
