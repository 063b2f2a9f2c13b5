/**
 * The crash test of {@code scripts/crash-test.sh}: a task that records each of its runs in
 * {@code crash_run}, and an endpoint that submits many of them at once. Active only with the
 * {@code crash-test} profile.
 */
@NullMarked
package dev.backgroundtasks.sample.crash;

import org.jspecify.annotations.NullMarked;
