/**
 * The test kit: {@link dev.backgroundtasks.test.BackgroundTasksTest} on a test class, a
 * {@link dev.backgroundtasks.test.BackgroundTasksTester} to inject (a controllable clock, waiting until the
 * engine is idle, firing a schedule now, the executions of the test) and AssertJ assertions on it
 * ({@link dev.backgroundtasks.test.BackgroundTasksAssertions}).
 */
@NullMarked
package dev.backgroundtasks.test;

import org.jspecify.annotations.NullMarked;
