/**
 * The Spring Modulith integration: incomplete event publications resubmitted by a scheduled task with
 * exponential backoff, and events marked for externalization delivered as submissions of a task.
 * Depends on the public API and on Spring Modulith's own API only.
 */
@NullMarked
package dev.backgroundtasks.modulith;

import org.jspecify.annotations.NullMarked;
