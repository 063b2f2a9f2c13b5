package dev.backgroundtasks;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The retry policy of a {@link BackgroundTask}: a failed attempt is retried after an exponential
 * backoff with jitter between {@link #minDelay()} and {@link #maxDelay()}, until {@link #maxAttempts()}
 * attempts have been made. Overridable per task with {@code background-tasks.tasks.<name>.retry.*}.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

	/**
	 * How many attempts in all, the first included; {@code 1} means no retry. {@code -1} (the default)
	 * uses {@code background-tasks.retry.max-attempts}.
	 * @return the most attempts
	 */
	int maxAttempts() default -1;

	/**
	 * The delay before the first retry, e.g. {@code "10s"}; empty uses
	 * {@code background-tasks.retry.min-delay}.
	 * @return the minimum delay
	 */
	String minDelay() default "";

	/**
	 * The longest delay between two attempts, e.g. {@code "10m"}; empty uses
	 * {@code background-tasks.retry.max-delay}.
	 * @return the maximum delay
	 */
	String maxDelay() default "";

	/**
	 * Exceptions (and their subclasses) that fail the execution at once, without retry.
	 * @return the exception types never retried
	 */
	Class<? extends Throwable>[] noRetryFor() default {};

}
