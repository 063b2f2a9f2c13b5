package dev.backgroundtasks.autoconfigure;

import java.time.Duration;

import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStatistics;
import dev.backgroundtasks.execution.JdbcNodeStore;
import dev.backgroundtasks.execution.MinuteStatistics;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import dev.backgroundtasks.web.ApiAccess;
import dev.backgroundtasks.web.ExecutionResponseAdvice;
import dev.backgroundtasks.web.ExecutionStreamController;
import dev.backgroundtasks.web.dashboard.DashboardAssets;
import dev.backgroundtasks.web.dashboard.DashboardData;
import dev.backgroundtasks.web.dashboard.DashboardExecutionController;
import dev.backgroundtasks.web.dashboard.DashboardFormat;
import dev.backgroundtasks.web.dashboard.DashboardOverviewController;
import dev.backgroundtasks.web.dashboard.DashboardTaskController;
import dev.backgroundtasks.web.dashboard.DashboardView;
import dev.backgroundtasks.web.dashboard.SameOriginCheck;
import dev.backgroundtasks.worker.NodeHeartbeat;
import org.thymeleaf.TemplateEngine;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of the dashboard: pages at {@code background-tasks.dashboard.path} on the
 * application's own Spring MVC, whenever the REST API is on, protected like it (readers see the pages,
 * operators act).
 */
@AutoConfiguration(after = { BackgroundTasksWebAutoConfiguration.class, BackgroundTasksSecurityAutoConfiguration.class,
		BackgroundTasksWorkerAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(TemplateEngine.class)
@ConditionalOnBean({ ExecutionCommands.class, ExecutionStreamController.class })
@ConditionalOnBooleanProperty(name = "background-tasks.dashboard.enabled", matchIfMissing = true)
public final class BackgroundTasksDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DashboardView backgroundTasksDashboardView(BackgroundTasksProperties properties, ObjectProvider<ApiAccess> access,
			JsonMapper mapper) {
		return new DashboardView(properties.getDashboard().getPath(), properties.getWeb().getBasePath(),
				access.getIfAvailable(() -> ApiAccess.EVERYONE), properties.getWeb().isReadOnly(),
				new DashboardFormat(mapper));
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardData backgroundTasksDashboardData(ExecutionQueries queries, ExecutionStatistics statistics,
			MinuteStatistics minutes, JdbcNodeStore nodes, ExecutionResponseAdvice shown,
			BackgroundTasksProperties properties) {
		Duration liveWithin = properties.getWorker().getHeartbeatInterval().multipliedBy(NodeHeartbeat.LIVE_INTERVALS);
		return new DashboardData(queries, statistics, minutes, nodes, shown,
				liveWithin, properties.getDashboard().getCountLimit());
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardOverviewController backgroundTasksDashboardOverviewController(DashboardData data, DashboardView view) {
		return new DashboardOverviewController(data, view);
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardTaskController backgroundTasksDashboardTaskController(TaskRegistry registry,
			ObjectProvider<TaskInfoEnricher> enricher, ObjectProvider<TaskEnablement> enablement,
			ExecutionCommands commands, DashboardData data, JsonMapper mapper, DashboardView view) {
		return new DashboardTaskController(registry, enricher.getIfAvailable(), enablement.getIfAvailable(), commands,
				data, mapper, view);
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardExecutionController backgroundTasksDashboardExecutionController(TaskRegistry registry,
			ExecutionCommands commands, DashboardData data, DashboardView view, BackgroundTasksProperties properties) {
		return new DashboardExecutionController(registry, commands, data, view, properties.getDashboard().getMaxBulk());
	}

	@Bean
	WebMvcConfigurer backgroundTasksDashboardAssets(BackgroundTasksProperties properties) {
		return new DashboardAssets(properties.getDashboard().getPath(), new SameOriginCheck());
	}

}
