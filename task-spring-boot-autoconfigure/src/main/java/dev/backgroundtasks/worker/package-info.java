/**
 * The worker: claims ready executions, runs them on a bounded pool and records their outcome.
 */
@NullMarked
package dev.backgroundtasks.worker;

import org.jspecify.annotations.NullMarked;
