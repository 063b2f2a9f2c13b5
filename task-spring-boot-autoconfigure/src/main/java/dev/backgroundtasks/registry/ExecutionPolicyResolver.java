package dev.backgroundtasks.registry;

import java.time.Duration;
import java.util.Objects;

import dev.backgroundtasks.InvalidTaskDefinitionException;

/**
 * Completes the policy a task declares with configuration, when the task is registered.
 */
@FunctionalInterface
public interface ExecutionPolicyResolver {

	/**
	 * @param task the task name
	 * @param declared what the task declares ({@link ExecutionPolicy#UNDECLARED} for nothing)
	 * @return the complete policy
	 * @throws InvalidTaskDefinitionException when the result is not a valid policy
	 */
	ExecutionPolicy resolve(String task, ExecutionPolicy declared);

	/**
	 * @param maxAttempts the default number of attempts
	 * @param minDelay the default delay before the first retry
	 * @param maxDelay the default longest delay between attempts
	 * @param timeout the default timeout per attempt, {@link Duration#ZERO} for none
	 * @return a resolver that fills what a task does not declare with these defaults
	 */
	static ExecutionPolicyResolver withDefaults(int maxAttempts, Duration minDelay, Duration maxDelay,
			Duration timeout) {
		return (task, declared) -> validated(task,
				new ExecutionPolicy((declared.maxAttempts() > 0) ? declared.maxAttempts() : maxAttempts,
						Objects.requireNonNullElse(declared.minDelay(), minDelay),
						Objects.requireNonNullElse(declared.maxDelay(), maxDelay), declared.noRetryFor(),
						Objects.requireNonNullElse(declared.timeout(), timeout), declared.concurrency(),
						declared.remote(), declared.partitionBy(), declared.rate()));
	}

	/**
	 * @param task the task name
	 * @param policy a complete policy
	 * @return the policy
	 * @throws InvalidTaskDefinitionException naming the task and the problem
	 */
	static ExecutionPolicy validated(String task, ExecutionPolicy policy) {
		String problem = (policy.maxAttempts() < 1) ? "retry maxAttempts must be at least 1"
				: (policy.minDelay() == null || policy.maxDelay() == null || policy.timeout() == null)
						? "the policy is incomplete"
						: (policy.minDelay().isNegative() || policy.timeout().isNegative())
								? "delays and timeout must not be negative"
								: (policy.minDelay().compareTo(policy.maxDelay()) > 0)
										? "retry minDelay " + policy.minDelay() + " is longer than maxDelay "
												+ policy.maxDelay()
										: (policy.concurrency() < 0) ? "concurrency must be 0 (no limit) or more" : null;
		if (problem != null) {
			throw new InvalidTaskDefinitionException("Invalid execution policy of task '" + task + "': " + problem);
		}
		return policy;
	}

}
