package dev.backgroundtasks.autoconfigure;

import java.time.Clock;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.modulith.IncompletePublicationResubmitter;
import dev.backgroundtasks.modulith.ResubmissionPolicy;
import dev.backgroundtasks.modulith.TaskSubmittingEventExternalizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.ConditionalEventListener;

/**
 * Auto-configuration for the Spring Modulith integration, where Modulith's event publication registry
 * is in use (for example with {@code spring-modulith-starter-jdbc}): a scheduled task resubmitting
 * incomplete event publications with backoff, and externalized events delivered as task submissions.
 */
@AutoConfiguration(after = BackgroundTasksAutoConfiguration.class,
		afterName = { "org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
				"org.springframework.modulith.events.config.EventExternalizationAutoConfiguration" })
@ConditionalOnClass(IncompleteEventPublications.class)
@ConditionalOnBean({ TaskClient.class, IncompleteEventPublications.class })
@ConditionalOnBooleanProperty(name = "background-tasks.modulith.enabled", matchIfMissing = true)
public final class BackgroundTasksModulithAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "background-tasks.modulith.resubmission.enabled", matchIfMissing = true)
	static final class ResubmissionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IncompletePublicationResubmitter incompletePublicationResubmitter(IncompleteEventPublications publications,
				BackgroundTasksProperties properties) {
			BackgroundTasksProperties.ModulithResubmission settings = properties.getModulith().getResubmission();
			try {
				ResubmissionPolicy policy = new ResubmissionPolicy(settings.getMinDelay(), settings.getMaxDelay(),
						settings.getMaxResubmissions(), settings.getStaleAfter());
				return new IncompletePublicationResubmitter(publications, policy, settings.getBatchSize(),
						Clock.systemUTC());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"Invalid settings under background-tasks.modulith.resubmission: " + ex.getMessage(), ex);
			}
		}

	}

	// Without Modulith's externalization (spring.modulith.events.externalization.enabled=false) nothing
	// limits a listener of Object to externalized events: it would record a publication for every event.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalEventListener.class)
	@ConditionalOnBean({ EventExternalizationConfiguration.class, JsonMapper.class })
	@ConditionalOnBooleanProperty(name = "spring.modulith.events.externalization.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "background-tasks.modulith.externalization.enabled", matchIfMissing = true)
	static final class ExternalizationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TaskSubmittingEventExternalizer taskSubmittingEventExternalizer(
				EventExternalizationConfiguration configuration, TaskClient tasks, JsonMapper mapper) {
			return new TaskSubmittingEventExternalizer(configuration, tasks, mapper);
		}

	}

}
