package dev.backgroundtasks.registry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Invokes a task method on its bean (through the bean's proxy, so {@code @Transactional} and other
 * advice apply) and awaits a returned future.
 */
final class MethodTaskInvoker implements TaskInvoker {

	private final Object bean;

	private final Method method;

	MethodTaskInvoker(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public @Nullable Object invoke(@Nullable Object[] arguments) throws Exception {
		Object result;
		try {
			result = this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw rethrow(ex.getTargetException());
		}
		if (result instanceof CompletionStage<?> stage) {
			result = stage.toCompletableFuture();
		}
		if (result instanceof Future<?> future) {
			try {
				return future.get();
			}
			catch (ExecutionException ex) {
				throw rethrow((ex.getCause() != null) ? ex.getCause() : ex);
			}
		}
		return result;
	}

	private static Exception rethrow(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (Exception) failure;
	}

}
