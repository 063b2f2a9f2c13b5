package dev.backgroundtasks.command;

import java.util.UUID;

/**
 * What a submission stored.
 *
 * @param id the execution id
 * @param created whether a new execution was stored; {@code false} when an active execution with the
 * same key was returned instead
 */
public record SubmitResult(UUID id, boolean created) {
}
