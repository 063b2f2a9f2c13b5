package dev.backgroundtasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A schedule of a {@link BackgroundTask} method, besides (or instead of) {@link BackgroundTask#cron()}.
 * Repeatable: a task may have several. Give either {@link #cron()} or {@link #every()}.
 * <p>
 * Each fire time becomes an ordinary execution with trigger {@link TaskTrigger#SCHEDULE}, created once
 * across all nodes that share the database, whatever their number. A scheduled task must not have a
 * required parameter without a default: start-up fails otherwise.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(TaskSchedules.class)
public @interface TaskSchedule {

	/**
	 * A cron expression: standard 5 fields with crontab(5) meaning ({@code "0 9 * * 1-5"}), Spring's 6
	 * fields with seconds first, or a macro ({@code @hourly}, {@code @daily}, {@code @midnight},
	 * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually}). {@code "-"} disables the
	 * schedule. Supports {@code ${...}} placeholders.
	 * @return the cron expression, or empty when {@link #every()} is used
	 */
	String cron() default "";

	/**
	 * The IANA time zone the cron expression is read in, e.g. {@code "Europe/London"}; empty means UTC.
	 * Supports {@code ${...}} placeholders.
	 * @return the zone id
	 */
	String zone() default "";

	/**
	 * A fixed interval, e.g. {@code "30s"}, {@code "5m"} or {@code "PT1H"}, at least one second. Fire
	 * times are the multiples of the interval since the epoch (1970-01-01T00:00Z), so every node
	 * computes the same ones. {@code "-"} disables the schedule. Supports {@code ${...}} placeholders.
	 * @return the interval, or empty when {@link #cron()} is used
	 */
	String every() default "";

	/**
	 * What to do about fire times missed while the application was down.
	 * @return the misfire rule
	 */
	Misfire misfire() default Misfire.FIRE_ONCE;

}
