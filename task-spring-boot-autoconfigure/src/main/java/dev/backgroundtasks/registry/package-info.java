/**
 * Task definitions, the registry, the {@code @BackgroundTask} bean post-processor and parameter binding.
 */
@NullMarked
package dev.backgroundtasks.registry;

import org.jspecify.annotations.NullMarked;
