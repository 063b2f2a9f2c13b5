/**
 * The public API of background tasks: annotations to declare tasks, {@link dev.backgroundtasks.TaskClient}
 * to submit them, {@link dev.backgroundtasks.TaskRegistry} to inspect and register them, and the value
 * records they return.
 */
@NullMarked
package dev.backgroundtasks;

import org.jspecify.annotations.NullMarked;
