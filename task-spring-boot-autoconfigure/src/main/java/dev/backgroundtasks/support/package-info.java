/**
 * What several parts of the engine share without depending on each other: the {@link
 * dev.backgroundtasks.support.ExecutionObserver} extension point that metrics and tracing implement,
 * the {@link dev.backgroundtasks.support.WorkSignal} that wakes the local worker, the node's name,
 * and {@link dev.backgroundtasks.support.PeriodicJobs} for background threads.
 */
@NullMarked
package dev.backgroundtasks.support;

import org.jspecify.annotations.NullMarked;
