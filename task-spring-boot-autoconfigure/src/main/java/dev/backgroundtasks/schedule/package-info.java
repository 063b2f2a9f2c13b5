/**
 * Cron and interval schedules built on Spring's {@code CronExpression}, the scheduler that turns each
 * due fire time into one execution across the cluster, and runtime enable/disable of tasks.
 */
@NullMarked
package dev.backgroundtasks.schedule;

import org.jspecify.annotations.NullMarked;
