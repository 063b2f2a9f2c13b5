/**
 * Scheduled housekeeping tasks of the sample: a nightly clean-up and a heartbeat.
 */
@NullMarked
package dev.backgroundtasks.sample.maintenance;

import org.jspecify.annotations.NullMarked;
