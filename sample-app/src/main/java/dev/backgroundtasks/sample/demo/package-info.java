/**
 * Small demo tasks: a greeting, an addition and a task that always fails.
 */
@NullMarked
package dev.backgroundtasks.sample.demo;

import org.jspecify.annotations.NullMarked;
