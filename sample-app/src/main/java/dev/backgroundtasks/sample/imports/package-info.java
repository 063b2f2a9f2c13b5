/**
 * A long import that reports its progress in stages and honours cancellation.
 */
@NullMarked
package dev.backgroundtasks.sample.imports;

import org.jspecify.annotations.NullMarked;
