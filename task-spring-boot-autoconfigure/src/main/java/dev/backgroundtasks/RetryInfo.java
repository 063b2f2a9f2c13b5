package dev.backgroundtasks;

import java.time.Duration;

/**
 * The retry policy of a task, as configured.
 *
 * @param maxAttempts how many attempts in all, the first included
 * @param minDelay the delay before the first retry
 * @param maxDelay the longest delay between two attempts
 */
public record RetryInfo(int maxAttempts, Duration minDelay, Duration maxDelay) {
}
