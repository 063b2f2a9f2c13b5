package dev.backgroundtasks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One schedule of a task, as in effect (configuration overrides applied).
 *
 * @param expression the cron expression as declared (e.g. {@code "0 9 * * 1-5"} or {@code "@daily"}),
 * or {@code "every 30s"} for an interval
 * @param zone the time zone of a cron expression, e.g. {@code "Europe/London"}; {@code null} for an
 * interval, which does not depend on a zone
 * @param nextRunAt the next fire time, by the database clock; {@code null} when the task is disabled or
 * when it is not known (the registry's own view, which does not read the database)
 */
public record ScheduleInfo(String expression, @Nullable String zone, @Nullable Instant nextRunAt) {
}
