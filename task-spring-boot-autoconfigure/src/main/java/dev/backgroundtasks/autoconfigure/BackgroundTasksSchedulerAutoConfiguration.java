package dev.backgroundtasks.autoconfigure;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.command.ExecutionCommands;
import dev.backgroundtasks.execution.DatabaseDialect;
import dev.backgroundtasks.execution.ExecutionQueries;
import dev.backgroundtasks.execution.ExecutionStore;
import dev.backgroundtasks.execution.JdbcScheduleStore;
import dev.backgroundtasks.execution.JdbcTaskStateStore;
import dev.backgroundtasks.execution.ScheduleStore;
import dev.backgroundtasks.execution.TaskStateStore;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskEnablement;
import dev.backgroundtasks.registry.TaskNames;
import dev.backgroundtasks.registry.TaskOverride;
import dev.backgroundtasks.registry.TaskOverrides;
import dev.backgroundtasks.schedule.BackgroundTaskScheduler;
import dev.backgroundtasks.schedule.ScheduleCatalog;
import dev.backgroundtasks.schedule.ScheduleTicker;
import dev.backgroundtasks.schedule.TaskInfoEnricher;
import dev.backgroundtasks.support.ExecutionObserver;
import dev.backgroundtasks.support.WorkSignal;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for schedules and runtime enable/disable of tasks: configuration overrides and
 * kill switches ({@code background-tasks.tasks.*}), validated at start-up, on every node; the
 * scheduler itself where {@code background-tasks.scheduler.enabled} (the default) and executions are
 * queued.
 */
@AutoConfiguration(after = BackgroundTasksAutoConfiguration.class)
@ConditionalOnBean(ExecutionCommands.class)
public final class BackgroundTasksSchedulerAutoConfiguration {

	private static final String PROPERTY_PREFIX = "background-tasks.tasks.";

	private static final String ENV_PREFIX = "BACKGROUND_TASKS_TASKS_";

	@Bean
	@ConditionalOnMissingBean
	TaskOverrides backgroundTaskOverrides(BackgroundTasksProperties properties, Environment environment) {
		Map<String, BackgroundTasksProperties.Task> settings = new LinkedHashMap<>();
		properties.getTasks().forEach((key, task) -> settings.put(PROPERTY_PREFIX + key, task));
		EnvironmentTaskSettings.read(environment).forEach((key, task) -> settings.put(ENV_PREFIX + key, task));
		return new TaskOverrides(overrides(settings));
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleCatalog scheduleCatalog(DefaultTaskRegistry registry, TaskOverrides overrides) {
		return new ScheduleCatalog(registry, overrides);
	}

	@Bean
	SmartInitializingSingleton backgroundTasksScheduleValidation(ScheduleCatalog catalog) {
		return catalog::validate;
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleStore scheduleStore(DataSource dataSource, DatabaseDialect dialect) {
		return new JdbcScheduleStore(dialect.jdbcTemplate(dataSource));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskStateStore taskStateStore(DataSource dataSource, DatabaseDialect dialect) {
		return new JdbcTaskStateStore(dialect.jdbcTemplate(dataSource), dialect);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskEnablement taskEnablement(TaskStateStore store, TaskOverrides overrides, BackgroundTasksProperties properties) {
		return new TaskEnablement(store, overrides, properties.getScheduler().getPollInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskInfoEnricher taskInfoEnricher(ScheduleCatalog catalog, TaskEnablement enablement, ScheduleStore store,
			ExecutionQueries queries) {
		return new TaskInfoEnricher(catalog, enablement, store, queries);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "background-tasks.scheduler.enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = "background-tasks.mode", havingValue = "queue", matchIfMissing = true)
	BackgroundTaskScheduler backgroundTaskScheduler(DefaultTaskRegistry registry, ScheduleCatalog catalog,
			TaskEnablement enablement, ScheduleStore store, ExecutionStore executions, WorkSignal signal,
			BackgroundTasksProperties properties, ObjectProvider<ExecutionObserver> observers) {
		BackgroundTasksProperties.Scheduler scheduler = properties.getScheduler();
		ScheduleTicker ticker = new ScheduleTicker(registry, catalog, enablement, store, executions, signal,
				scheduler.getMisfireThreshold(), BackgroundTasksAutoConfiguration.observer(observers));
		return new BackgroundTaskScheduler(ticker, scheduler.getPollInterval());
	}

	/**
	 * Merges the entries of {@code background-tasks.tasks} by canonical task name: a property file may
	 * say {@code daily-report} where an environment variable says {@code DAILYREPORT}. Any entry that
	 * switches a task off wins; two different cron or zone values for one task are ambiguous.
	 */
	private static Map<String, TaskOverride> overrides(Map<String, BackgroundTasksProperties.Task> settings) {
		Map<String, TaskOverride> merged = new HashMap<>();
		settings.forEach((key, task) -> {
			String canonical = TaskNames.canonical(key.startsWith(ENV_PREFIX) ? key.substring(ENV_PREFIX.length())
					: key.substring(PROPERTY_PREFIX.length()));
			TaskOverride override = new TaskOverride(key, task.isEnabled(), task.getCron(), task.getZone());
			merged.merge(canonical, override, (first, second) -> new TaskOverride(first.enabled() ? second.key()
					: first.key(), first.enabled() && second.enabled(), same(first, second, "cron", first.cron(),
							second.cron()), same(first, second, "zone", first.zone(), second.zone())));
		});
		return merged;
	}

	private static <T> @Nullable T same(TaskOverride first, TaskOverride second, String property, @Nullable T one,
			@Nullable T other) {
		if (one != null && other != null && !Objects.equals(one, other)) {
			throw new InvalidTaskDefinitionException(first.property(property) + "='" + one + "' and "
					+ second.property(property) + "='" + other
					+ "' name the same task (keys ignore case, '-' and '_') with different values");
		}
		return (one != null) ? one : other;
	}

}
