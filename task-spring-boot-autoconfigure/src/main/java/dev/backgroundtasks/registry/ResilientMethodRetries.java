package dev.backgroundtasks.registry;

import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.resilience.annotation.RetryAnnotationBeanPostProcessor;
import org.springframework.resilience.annotation.Retryable;

/**
 * Warns about a task method that Spring Framework's {@link Retryable} also retries: each durable
 * attempt then runs the method again in the same thread until that annotation's retries are spent,
 * so the number of runs is the product of both. It applies only when resilient methods are on
 * ({@code @EnableResilientMethods}, which registers a {@link RetryAnnotationBeanPostProcessor}).
 */
final class ResilientMethodRetries {

	private static final Log logger = LogFactory.getLog(ResilientMethodRetries.class);

	private final @Nullable BeanFactory beanFactory;

	private @Nullable Boolean enabled;

	ResilientMethodRetries(@Nullable BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * @param task the task as registered, its policy complete
	 * @param method the task's method on the user class
	 * @param targetClass the user class
	 * @return the warning logged, or {@code null} when both retries do not apply to the task
	 */
	@Nullable String check(TaskDefinition task, Method method, Class<?> targetClass) {
		if (task.policy().maxAttempts() <= 1) {
			return null;
		}
		Retryable retryable = AnnotatedElementUtils.findMergedAnnotation(method, Retryable.class);
		if (retryable == null) {
			retryable = AnnotatedElementUtils.findMergedAnnotation(targetClass, Retryable.class);
		}
		if (retryable == null || !enabled()) {
			return null;
		}
		String retries = retryable.maxRetriesString().isEmpty() ? String.valueOf(retryable.maxRetries())
				: retryable.maxRetriesString();
		String warning = "Task '" + task.name() + "' (" + MethodTaskDefinitions.describe(method)
				+ ") is retried twice over: it has up to " + task.policy().maxAttempts()
				+ " durable attempts, and @Retryable runs each of them up to " + retries
				+ " more times in the same thread, so its method may run " + task.policy().maxAttempts() + " × (1 + "
				+ retries + ") times. Keep one of them: @BackgroundTask(retry = @Retry(maxAttempts = 1)) (or "
				+ "background-tasks.tasks." + task.name() + ".retry.max-attempts=1) for in-process retries only, "
				+ "or remove @Retryable for durable retries that survive a restart and show in the attempt history.";
		logger.warn(warning);
		return warning;
	}

	private boolean enabled() {
		if (this.enabled == null) {
			this.enabled = this.beanFactory instanceof ListableBeanFactory listable && listable
				.getBeanNamesForType(RetryAnnotationBeanPostProcessor.class, true, false).length > 0;
		}
		return this.enabled;
	}

}
