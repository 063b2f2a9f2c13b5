package dev.backgroundtasks.execution;

import org.jspecify.annotations.Nullable;

/**
 * A successful attempt waiting to be recorded.
 *
 * @param claim the claim it ran under
 * @param result the result as JSON text, or {@code null}
 */
public record Completion(ClaimedExecution claim, @Nullable String result) {
}
