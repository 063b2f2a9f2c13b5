package dev.backgroundtasks.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.backgroundtasks.autoconfigure.BackgroundTasksProperties.Mode;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.PropertyMapping.Skip;

/**
 * Sets background tasks up for a test, next to {@code @SpringBootTest}: the engine runs on a
 * {@link TestClock} that stands still until the test moves it, the {@link BackgroundTasksTester} can be
 * injected, and the executions a test method asserts on are those created since it started.
 * <p>
 * The clock replaces the database's clock for every statement of the engine: it must be a database of the
 * test's own (an in-memory H2 database, a Testcontainers one, a schema of its own), never one that running
 * applications share.
 *
 * @see BackgroundTasksTester
 * @see BackgroundTasksAssertions
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping
public @interface BackgroundTasksTest {

	/**
	 * The instant the test clock starts at, in ISO-8601 ({@code 2027-03-27T12:00:00Z}); by default the time
	 * the context starts. The scheduler's first round runs at this time, so a test of a schedule gives it here
	 * rather than moving the clock afterwards (moving it far forward at once would count the fire times in
	 * between as missed). Maps to {@code background-tasks.test.clock}.
	 * @return the start instant, or an empty string for the time the context starts
	 */
	@PropertyMapping(value = "background-tasks.test.clock", skip = Skip.ON_DEFAULT_VALUE)
	String clock() default "";

	/**
	 * How submissions run: {@link Mode#QUEUE} (the default) as in production, by the worker, on the test
	 * clock; {@link Mode#IMMEDIATE} in the caller's thread before {@code submit} returns, without a scheduler.
	 * Maps to {@code background-tasks.mode}.
	 * @return the mode
	 */
	@PropertyMapping("background-tasks.mode")
	Mode mode() default Mode.QUEUE;

	/**
	 * The longest the worker sleeps between two looks for due work; the tester also wakes it after moving the
	 * clock. Maps to {@code background-tasks.worker.poll-interval}.
	 * @return the poll interval, such as {@code 100ms}
	 */
	@PropertyMapping("background-tasks.worker.poll-interval")
	String pollInterval() default "100ms";

	/**
	 * How long {@link BackgroundTasksTester#awaitIdle()} (and each stop of an advance of the clock) waits for
	 * the engine to become idle before it fails. Maps to {@code background-tasks.test.await-timeout}.
	 * @return the timeout, such as {@code 10s}
	 */
	@PropertyMapping("background-tasks.test.await-timeout")
	String awaitTimeout() default "10s";

}
