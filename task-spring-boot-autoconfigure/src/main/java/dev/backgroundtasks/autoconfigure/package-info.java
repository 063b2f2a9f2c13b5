/**
 * Auto-configuration for background tasks and its configuration properties.
 */
@NullMarked
package dev.backgroundtasks.autoconfigure;

import org.jspecify.annotations.NullMarked;
