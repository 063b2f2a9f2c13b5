package dev.backgroundtasks.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

import dev.backgroundtasks.registry.ExecutionPolicy;

/**
 * Exponential backoff with jitter: before retry {@code n} (after attempt {@code n}) the base delay is
 * {@code minDelay * 2^(n-1)}, capped at {@code maxDelay}; the delay is the base plus up to half of it
 * at random, again capped at {@code maxDelay}. So it always lies between {@code minDelay} and
 * {@code maxDelay}, and executions failing together do not retry together.
 */
public final class RetryBackoff {

	private RetryBackoff() {
	}

	/**
	 * @param policy the task's resolved policy
	 * @param attempt the attempt that just failed, from 1
	 * @param random the source of jitter
	 * @return how long to wait before the next attempt
	 */
	public static Duration delay(ExecutionPolicy policy, int attempt, RandomGenerator random) {
		long min = policy.minDelay().toMillis();
		long max = Math.max(min, policy.maxDelay().toMillis());
		long base = min;
		for (int i = 1; i < attempt && base < max; i++) {
			base = Math.min(max, base * 2);
		}
		long jitter = (base / 2 > 0) ? random.nextLong(base / 2 + 1) : 0;
		return Duration.ofMillis(Math.min(max, base + jitter));
	}

}
