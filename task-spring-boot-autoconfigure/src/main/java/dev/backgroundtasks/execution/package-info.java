/**
 * The {@code TaskExecution} entity, the state transition table, and the execution store with its per-database SQL.
 */
@NullMarked
package dev.backgroundtasks.execution;

import org.jspecify.annotations.NullMarked;
