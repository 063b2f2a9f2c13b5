/**
 * Execution events: the {@link dev.backgroundtasks.event.TaskExecutionListener} callbacks, the
 * application events published for every state change, progress write and custom event, and their
 * delivery to other nodes through PostgreSQL {@code NOTIFY}.
 */
@NullMarked
package dev.backgroundtasks.event;

import org.jspecify.annotations.NullMarked;
