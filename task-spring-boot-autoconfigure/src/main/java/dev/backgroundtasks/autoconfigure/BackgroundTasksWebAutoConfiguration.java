package dev.backgroundtasks.autoconfigure;


import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.event.EventStreamSubscriptionListener;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import dev.backgroundtasks.web.ApiAccess;
import dev.backgroundtasks.web.BackgroundTasksExceptionHandler;
import dev.backgroundtasks.web.BatchQueryController;
import dev.backgroundtasks.web.ExecutionEventStream;
import dev.backgroundtasks.web.ExecutionResponseAdvice;
import dev.backgroundtasks.web.ExecutionStreamController;
import dev.backgroundtasks.web.TaskCommandController;
import dev.backgroundtasks.web.TaskQueryController;
import dev.backgroundtasks.web.TaskSwitchController;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration for the REST API of background tasks, on the application's own Spring MVC.
 */
@AutoConfiguration(after = { BackgroundTasksAutoConfiguration.class, BackgroundTasksSchedulerAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(ExecutionCommands.class)
@ConditionalOnBooleanProperty(name = "background-tasks.web.enabled", matchIfMissing = true)
public final class BackgroundTasksWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskQueryController taskQueryController(TaskRegistry registry, ExecutionQueries queries,
			ExecutionWaiters waiters, BackgroundTasksProperties properties, ObjectProvider<TaskInfoEnricher> enricher) {
		return new TaskQueryController(registry, queries, waiters, properties.getWeb().getMaxWait(),
				properties.getWeb().getMaxPageSize(), enricher.getIfAvailable(), properties.getWeb().getMaxLongPolls(),
				properties.getWeb().getCountLimit());
	}

	@Bean
	@ConditionalOnMissingBean
	BatchQueryController batchQueryController(ExecutionCommands commands) {
		return new BatchQueryController(commands);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ TaskEnablement.class, TaskInfoEnricher.class })
	@ConditionalOnBooleanProperty(name = "background-tasks.web.read-only", havingValue = false, matchIfMissing = true)
	TaskSwitchController taskSwitchController(TaskRegistry registry, TaskEnablement enablement,
			TaskInfoEnricher enricher) {
		return new TaskSwitchController(registry, enablement, enricher);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.web.read-only", havingValue = false, matchIfMissing = true)
	TaskCommandController taskCommandController(TaskRegistry registry, ExecutionCommands commands,
			ExecutionQueries queries, JsonMapper mapper, BackgroundTasksProperties properties) {
		return new TaskCommandController(registry, commands, queries, mapper, properties.getWeb().getMaxRequestSize(),
				properties.getWeb().getBasePath());
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionEventStream executionEventStream(JsonMapper mapper, BackgroundTasksProperties properties,
			ObjectProvider<EventStreamSubscriptionListener> listeners) {
		return new ExecutionEventStream(mapper, properties.getWeb().getStreamKeepAlive(),
				properties.getWeb().getStreamTimeout(), properties.getWeb().getMaxStreamSubscribers(),
				() -> listeners.orderedStream().forEach(EventStreamSubscriptionListener::beforeSubscribe));
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStreamController executionStreamController(TaskRegistry registry, ExecutionEventStream stream) {
		return new ExecutionStreamController(registry, stream);
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionResponseAdvice executionResponseAdvice(TaskRegistry registry, BackgroundTasksProperties properties,
			ObjectProvider<ApiAccess> access) {
		return new ExecutionResponseAdvice(registry, properties.getWeb().getStackTraces(),
				access.getIfAvailable(() -> ApiAccess.EVERYONE));
	}

	@Bean
	@ConditionalOnMissingBean
	BackgroundTasksExceptionHandler backgroundTasksExceptionHandler() {
		return new BackgroundTasksExceptionHandler();
	}

	/**
	 * Without Spring Security every caller operates, unnamed; with it, see
	 * {@link BackgroundTasksSecurityAutoConfiguration}.
	 */
	@Bean
	@ConditionalOnMissingBean
	ApiAccess backgroundTasksApiAccess() {
		return ApiAccess.EVERYONE;
	}

	/**
	 * Feeds the stream with this node's events. On PostgreSQL the stream hears every node, this one
	 * included, through the cluster relay instead.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(NotOnPostgres.class)
	static class LocalEventFeedConfiguration {

		@Bean
		ExecutionEventSink executionEventStreamFeed(ExecutionEventStream stream) {
			return stream.sink();
		}

	}

	static class NotOnPostgres extends NoneNestedConditions {

		NotOnPostgres() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = "org.postgresql.PGConnection")
		@ConditionalOnPostgresDatabase
		static class Postgres {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
	@ConditionalOnBooleanProperty(name = "background-tasks.web.read-only", havingValue = false, matchIfMissing = true)
	static class UnsecuredApiWarningConfiguration {

		private static final Log logger = LogFactory.getLog(BackgroundTasksWebAutoConfiguration.class);

		@Bean
		SmartInitializingSingleton backgroundTasksUnsecuredApiWarning(BackgroundTasksProperties properties) {
			BackgroundTasksProperties.Security security = properties.getSecurity();
			return () -> logger.warn("The background tasks REST API at " + properties.getWeb().getBasePath()
					+ " can execute and cancel tasks, and Spring Security is not on the classpath: anyone who can"
					+ " reach this application can call it. Add spring-boot-starter-security and grant "
					+ String.join(" or ", security.getReadAuthorities()) + " to those who may read, "
					+ String.join(" or ", security.getOperateAuthorities())
					+ " to those who may also execute, cancel, retry, enable and disable tasks (properties"
					+ " background-tasks.security.read-authorities and operate-authorities); or set"
					+ " background-tasks.web.read-only=true to keep only the read endpoints, or"
					+ " background-tasks.web.enabled=false to turn the API off.");
		}

	}

}
