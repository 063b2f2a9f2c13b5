package dev.backgroundtasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a background task. The method is registered once at start-up, can be
 * submitted through {@link TaskClient} or the REST API, and every submission is stored as a durable
 * execution.
 * <p>
 * Parameters are bound by name from JSON (compile with {@code -parameters}); use {@link TaskParam} for
 * defaults and descriptions, {@code Optional<T>} or a {@code @Nullable} annotation for optional
 * parameters. The return value is stored as JSON; {@code void} and {@code CompletableFuture<T>}
 * (awaited) are supported. Works on proxied beans ({@code @Transactional}, AOP, interface proxies): the
 * method is invoked through the proxy.
 * <p>
 * A task runs on a schedule with {@link #cron()} and {@link #zone()}, or with repeatable
 * {@link TaskSchedule} annotations; see {@link TaskSchedule} for what a schedule guarantees.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BackgroundTask {

	/**
	 * The task name, unique in the application; defaults to the method name. Must match
	 * {@code ^[a-zA-Z0-9_-]+$}. Supports {@code ${...}} placeholders.
	 * @return the task name
	 */
	String name() default "";

	/**
	 * A human-readable description, shown by the REST API. Supports {@code ${...}} placeholders.
	 * @return the description
	 */
	String description() default "";

	/**
	 * Tags to group and filter tasks.
	 * @return the tags
	 */
	String[] tags() default {};

	/**
	 * The retry policy for failed attempts.
	 * @return the retry policy
	 */
	Retry retry() default @Retry;

	/**
	 * The longest one attempt may run, e.g. {@code "5m"}; the attempt is then interrupted and recorded as
	 * a timeout failure. Empty uses {@code background-tasks.worker.default-timeout}.
	 * @return the timeout per attempt
	 */
	String timeout() default "";

	/**
	 * How many executions of this task may run at once across the whole cluster; {@code 0} means no
	 * limit beyond each node's worker concurrency.
	 * @return the cluster-wide concurrency limit
	 */
	int concurrency() default 0;

	/**
	 * The name of a parameter of the method whose value partitions {@link #concurrency()} and {@link #rate()}:
	 * they then apply per distinct value of it, cluster-wide (a null or missing value is a partition of its
	 * own), and a saturated partition never holds back the others. Empty applies them to the whole task.
	 * Needs a {@code concurrency} or a {@code rate}; naming no parameter of the method fails start-up.
	 * Overridable with {@code background-tasks.tasks.<name>.partition-by}.
	 * @return the partitioning parameter, or empty
	 */
	String partitionBy() default "";

	/**
	 * How many attempts may start per period, e.g. {@code "10/1s"}, {@code "100/1m"}, {@code "5000/1h"}: in any
	 * interval of that length at most that many attempts start (sliding window; an attempt starts when it is
	 * claimed, its {@code startedAt}; retries and snoozed runs count), cluster-wide, per task or per partition
	 * ({@link #partitionBy()}). The rest wait {@code READY}, in claim order (priority first), and start as the
	 * window allows. Empty means no rate limit; a malformed rate fails start-up. Supports {@code ${...}}
	 * placeholders; overridable with {@code background-tasks.tasks.<name>.rate}.
	 * @return the rate limit, or empty
	 */
	String rate() default "";

	/**
	 * Whether the task may be submitted over the REST API ({@code $execute}, and {@code $retry} of its
	 * executions). With {@code false} it stays listed with its executions, but REST answers 403; code
	 * ({@code TaskClient}) and schedules still submit it. Overridable with
	 * {@code background-tasks.tasks.<name>.remote}.
	 * @return whether remote submissions are allowed
	 */
	boolean remote() default true;

	/**
	 * A cron expression to run the task on: standard 5 fields with crontab(5) meaning
	 * ({@code "0 9 * * 1-5"}: minute, hour, day of month, month, day of week, where Sunday is 0 or 7 and
	 * names like {@code MON} or {@code JAN} work, and a day matches when either day field matches if
	 * both are restricted), Spring's 6 fields with seconds first, or a macro ({@code @hourly},
	 * {@code @daily}, {@code @midnight}, {@code @weekly}, {@code @monthly}, {@code @yearly},
	 * {@code @annually}). Empty or {@code "-"} means no schedule. Supports {@code ${...}} placeholders;
	 * overridable with {@code background-tasks.tasks.<name>.cron}.
	 * @return the cron expression
	 * @see TaskSchedule
	 */
	String cron() default "";

	/**
	 * The IANA time zone {@link #cron()} is read in, e.g. {@code "Europe/London"}; empty means UTC.
	 * Supports {@code ${...}} placeholders; overridable with {@code background-tasks.tasks.<name>.zone}.
	 * @return the zone id
	 */
	String zone() default "";

	/**
	 * What to do about fire times of {@link #cron()} missed while the application was down.
	 * @return the misfire rule
	 */
	Misfire misfire() default Misfire.FIRE_ONCE;

}
