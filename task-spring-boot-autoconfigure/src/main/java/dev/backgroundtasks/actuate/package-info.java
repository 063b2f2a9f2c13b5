/**
 * Observability of background tasks: Micrometer metrics, the observation of each attempt with its
 * trace context restored from submission, the Actuator endpoint and the health indicator.
 */
@NullMarked
package dev.backgroundtasks.actuate;

import org.jspecify.annotations.NullMarked;
