package dev.backgroundtasks.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Task;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads per-task settings from environment variables written with an underscore for the dash of
 * {@code background-tasks} ({@code BACKGROUND_TASKS_TASKS_DAILYREPORT_ENABLED}). Spring Boot binds
 * that form for plain properties but not for map keys (its canonical form is
 * {@code BACKGROUNDTASKS_TASKS_...}), and it is the form users write.
 */
final class EnvironmentTaskSettings {

	private static final Pattern NAME = Pattern.compile(
			"BACKGROUND_TASKS_TASKS_(.+)_(ENABLED|REMOTE|CRON|ZONE|TIMEOUT|CONCURRENCY|PARTITION_BY|RATE|RETRY_MAX_ATTEMPTS|RETRY_MIN_DELAY|RETRY_MAX_DELAY)",
			Pattern.CASE_INSENSITIVE);

	private EnvironmentTaskSettings() {
	}

	/**
	 * @param environment the application's environment
	 * @return the settings found, by the task key of the variable name (e.g. {@code DAILYREPORT})
	 */
	static Map<String, Task> read(Environment environment) {
		Map<String, Task> tasks = new LinkedHashMap<>();
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return tasks;
		}
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (!(source instanceof SystemEnvironmentPropertySource variables)) {
				continue;
			}
			for (String name : variables.getPropertyNames()) {
				Matcher matcher = NAME.matcher(name);
				Object value = variables.getProperty(name);
				if (!matcher.matches() || value == null) {
					continue;
				}
				// Sources come highest precedence first: a key already read keeps its value.
				Task task = tasks.computeIfAbsent(matcher.group(1), (key) -> new Task());
				String text = value.toString().trim();
				switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
					case "ENABLED" -> task.setEnabled(task.isEnabled() && !"false".equalsIgnoreCase(text));
					case "REMOTE" -> task.setRemote((task.getRemote() != null) ? task.getRemote()
							: !"false".equalsIgnoreCase(text));
					case "CRON" -> task.setCron((task.getCron() != null) ? task.getCron() : text);
					case "ZONE" -> task.setZone((task.getZone() != null) ? task.getZone() : text);
					case "TIMEOUT" -> task.setTimeout((task.getTimeout() != null) ? task.getTimeout()
							: DurationStyle.detectAndParse(text));
					case "CONCURRENCY" -> task.setConcurrency((task.getConcurrency() != null) ? task.getConcurrency()
							: concurrency(name, text));
					case "PARTITION_BY" -> task
						.setPartitionBy((task.getPartitionBy() != null) ? task.getPartitionBy() : text);
					case "RATE" -> task.setRate((task.getRate() != null) ? task.getRate() : text);
					case "RETRY_MAX_ATTEMPTS" -> task.getRetry()
						.setMaxAttempts((task.getRetry().getMaxAttempts() != null) ? task.getRetry().getMaxAttempts()
								: Integer.valueOf(text));
					case "RETRY_MIN_DELAY" -> task.getRetry()
						.setMinDelay((task.getRetry().getMinDelay() != null) ? task.getRetry().getMinDelay()
								: DurationStyle.detectAndParse(text));
					default -> task.getRetry()
						.setMaxDelay((task.getRetry().getMaxDelay() != null) ? task.getRetry().getMaxDelay()
								: DurationStyle.detectAndParse(text));
				}
			}
		}
		return tasks;
	}

	private static Integer concurrency(String variable, String text) {
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException(variable + "='" + text + "' is not a number of executions");
		}
	}

}
