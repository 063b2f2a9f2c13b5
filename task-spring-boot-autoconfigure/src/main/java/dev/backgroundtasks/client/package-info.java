/**
 * The {@code TaskClient} implementation: submits, cancels and awaits executions.
 */
@NullMarked
package dev.backgroundtasks.client;

import org.jspecify.annotations.NullMarked;
