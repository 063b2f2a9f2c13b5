/**
 * A report task with defaulted parameters and a structured result.
 */
@NullMarked
package dev.backgroundtasks.sample.reports;

import org.jspecify.annotations.NullMarked;
