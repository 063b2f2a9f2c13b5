package dev.backgroundtasks.registry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How executions of one task run and who may submit them: retries, timeout, cluster-wide concurrency and rate
 * (per task or per partition), and
 * whether the REST API may submit it. A definition first
 * carries what its annotation declares ({@code null} or {@code -1} where nothing was declared); the
 * registry resolves it against configuration when the task is registered, so a registered definition's
 * policy is complete.
 *
 * @param maxAttempts how many attempts in all, at least 1 ({@code -1}: not declared)
 * @param minDelay the delay before the first retry
 * @param maxDelay the longest delay between attempts
 * @param noRetryFor exception types that fail at once
 * @param timeout the longest one attempt may run; {@link Duration#ZERO} for none
 * @param concurrency how many may run at once across the cluster; {@code 0} for no limit
 * @param remote whether the task may be submitted over the REST API
 * @param partitionBy the parameter whose value partitions {@code concurrency} and {@code rate}, or {@code null}
 * to apply them to the whole task
 * @param rate how many attempts may start per period, cluster-wide, or {@code null} for no rate limit
 */
public record ExecutionPolicy(int maxAttempts, @Nullable Duration minDelay, @Nullable Duration maxDelay,
		List<Class<? extends Throwable>> noRetryFor, @Nullable Duration timeout, int concurrency, boolean remote,
		@Nullable String partitionBy, @Nullable RateLimit rate) {

	/**
	 * A policy that declares nothing: every value comes from configuration.
	 */
	public static final ExecutionPolicy UNDECLARED = new ExecutionPolicy(-1, null, null, List.of(), null, 0);

	public ExecutionPolicy {
		noRetryFor = List.copyOf(noRetryFor);
		partitionBy = (partitionBy == null || partitionBy.isBlank()) ? null : partitionBy.trim();
	}

	/**
	 * A policy without partition or rate limit.
	 * @param maxAttempts how many attempts in all, at least 1 ({@code -1}: not declared)
	 * @param minDelay the delay before the first retry
	 * @param maxDelay the longest delay between attempts
	 * @param noRetryFor exception types that fail at once
	 * @param timeout the longest one attempt may run; {@link Duration#ZERO} for none
	 * @param concurrency how many may run at once across the cluster; {@code 0} for no limit
	 * @param remote whether the task may be submitted over the REST API
	 */
	public ExecutionPolicy(int maxAttempts, @Nullable Duration minDelay, @Nullable Duration maxDelay,
			List<Class<? extends Throwable>> noRetryFor, @Nullable Duration timeout, int concurrency, boolean remote) {
		this(maxAttempts, minDelay, maxDelay, noRetryFor, timeout, concurrency, remote, null, null);
	}

	/**
	 * A policy of a task that may be submitted over the REST API.
	 * @param maxAttempts how many attempts in all, at least 1 ({@code -1}: not declared)
	 * @param minDelay the delay before the first retry
	 * @param maxDelay the longest delay between attempts
	 * @param noRetryFor exception types that fail at once
	 * @param timeout the longest one attempt may run; {@link Duration#ZERO} for none
	 * @param concurrency how many may run at once across the cluster; {@code 0} for no limit
	 */
	public ExecutionPolicy(int maxAttempts, @Nullable Duration minDelay, @Nullable Duration maxDelay,
			List<Class<? extends Throwable>> noRetryFor, @Nullable Duration timeout, int concurrency) {
		this(maxAttempts, minDelay, maxDelay, noRetryFor, timeout, concurrency, true);
	}

	/**
	 * @param concurrency how many may run at once, {@code 0} for no limit
	 * @param partitionBy the partitioning parameter, or {@code null}
	 * @param rate the rate limit, or {@code null}
	 * @return this policy with these flow limits
	 */
	public ExecutionPolicy withFlowLimits(int concurrency, @Nullable String partitionBy, @Nullable RateLimit rate) {
		return new ExecutionPolicy(this.maxAttempts, this.minDelay, this.maxDelay, this.noRetryFor, this.timeout,
				concurrency, this.remote, partitionBy, rate);
	}

	/**
	 * @return whether its executions are claimed under the task's lock: it has a concurrency or a rate limit
	 */
	public boolean isLimited() {
		return this.concurrency > 0 || this.rate != null;
	}

	/**
	 * @param failure what an attempt threw
	 * @return whether the failure's type is one that is never retried
	 */
	public boolean isNeverRetried(Throwable failure) {
		return this.noRetryFor.stream().anyMatch((type) -> type.isInstance(failure));
	}

}
