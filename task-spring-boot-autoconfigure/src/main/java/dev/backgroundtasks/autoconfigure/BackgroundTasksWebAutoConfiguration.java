package dev.backgroundtasks.autoconfigure;

import java.time.Duration;
import javax.sql.DataSource;

import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.client.ExecutionWaiters;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.event.ClusterEventCodec;
import dev.backgroundtasks.event.ExecutionEventSink;
import dev.backgroundtasks.execution.DatabaseKind;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.postgres.PostgresEventRelay;
import dev.backgroundtasks.postgres.PostgresListenerConnections;
import dev.backgroundtasks.postgres.PostgresStreamInterest;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import dev.backgroundtasks.web.BackgroundTasksExceptionHandler;
import dev.backgroundtasks.web.ExecutionEventStream;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
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
				properties.getWeb().getMaxPageSize(), enricher.getIfAvailable());
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
	ExecutionEventStream executionEventStream(JsonMapper mapper, BackgroundTasksProperties properties) {
		return new ExecutionEventStream(mapper, properties.getWeb().getStreamKeepAlive(),
				properties.getWeb().getStreamTimeout());
	}

	@Bean
	ExecutionEventSink executionEventStreamFeed(ExecutionEventStream stream, DataSource dataSource) {
		// On PostgreSQL the stream hears every node, this one included, through the relay.
		return relaysThroughPostgres(dataSource) ? (events) -> {
		} : stream::send;
	}

	@Bean
	@ConditionalOnMissingBean
	ExecutionStreamController executionStreamController(TaskRegistry registry, ExecutionEventStream stream) {
		return new ExecutionStreamController(registry, stream);
	}

	@Bean
	@ConditionalOnMissingBean
	BackgroundTasksExceptionHandler backgroundTasksExceptionHandler() {
		return new BackgroundTasksExceptionHandler();
	}

	private static boolean relaysThroughPostgres(DataSource dataSource) {
		return ClassUtils.isPresent("org.postgresql.PGConnection", BackgroundTasksWebAutoConfiguration.class.getClassLoader())
				&& DatabaseKind.of(dataSource) == DatabaseKind.POSTGRESQL;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.postgresql.PGConnection")
	static class PostgresEventRelayConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresEventRelay postgresEventRelay(DataSource dataSource, ExecutionEventStream stream, JsonMapper mapper,
				BackgroundTasksProperties properties, PostgresStreamInterest interest) {
			boolean enabled = relaysThroughPostgres(dataSource);
			PostgresEventRelay relay = new PostgresEventRelay(enabled,
					new PostgresListenerConnections(dataSource, "bgt-events " + properties.getNodeName()),
					new ClusterEventCodec(mapper), stream::send, interest, stream::subscriberCount,
					Duration.ofSeconds(1));
			if (enabled) {
				// Nodes send events only while some node streams: say so before a client is added, and
				// forget what is kept for replay when events may have been left unsent meanwhile.
				stream.setBeforeSubscribe(relay::announce);
				interest.setOnResumed(stream::forgetRecent);
			}
			return relay;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
	@ConditionalOnBooleanProperty(name = "background-tasks.web.read-only", havingValue = false, matchIfMissing = true)
	static class UnsecuredApiWarningConfiguration {

		private static final Log logger = LogFactory.getLog(BackgroundTasksWebAutoConfiguration.class);

		@Bean
		SmartInitializingSingleton backgroundTasksUnsecuredApiWarning(BackgroundTasksProperties properties) {
			return () -> logger.warn("The background tasks REST API at " + properties.getWeb().getBasePath()
					+ " can execute and cancel tasks, and Spring Security is not on the classpath: anyone who can"
					+ " reach this application can call it. Add Spring Security, or set"
					+ " background-tasks.web.read-only=true or background-tasks.web.enabled=false.");
		}

	}

}
