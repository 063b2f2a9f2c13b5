/**
 * A runnable demo of background tasks: a Spring Boot application whose beans declare tasks.
 */
@NullMarked
package dev.backgroundtasks.sample;

import org.jspecify.annotations.NullMarked;
