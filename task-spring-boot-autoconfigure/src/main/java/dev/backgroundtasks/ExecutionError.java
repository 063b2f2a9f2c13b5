package dev.backgroundtasks;

import org.jspecify.annotations.Nullable;

/**
 * The error an execution failed with.
 *
 * @param type the exception class name
 * @param message the exception message, or {@code null}
 * @param stackTrace the full stack trace, causes included
 */
public record ExecutionError(String type, @Nullable String message, String stackTrace) {
}
