package dev.backgroundtasks.registry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.backgroundtasks.TaskContext;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Invokes a task method on its bean (through the bean's proxy, so {@code @Transactional} and other
 * advice apply) and awaits a returned future.
 */
final class MethodTaskInvoker implements TaskInvoker {

	private final Object bean;

	private final Method method;

	private final boolean[] contextPositions;

	/**
	 * @param contextPositions which of the method's parameters take the {@link TaskContext}; the others
	 * take the bound arguments, in order
	 */
	MethodTaskInvoker(Object bean, Method method, boolean[] contextPositions) {
		this.bean = bean;
		this.method = method;
		this.contextPositions = contextPositions.clone();
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public @Nullable Object invoke(@Nullable Object[] arguments) throws Exception {
		return invoke(arguments, null);
	}

	@Override
	public @Nullable Object invoke(@Nullable Object[] arguments, @Nullable TaskContext context) throws Exception {
		Object result;
		try {
			result = this.method.invoke(this.bean, withContext(arguments, context));
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

	private @Nullable Object[] withContext(@Nullable Object[] arguments, @Nullable TaskContext context) {
		if (arguments.length == this.contextPositions.length) {
			return arguments;
		}
		@Nullable Object[] all = new Object[this.contextPositions.length];
		int next = 0;
		for (int i = 0; i < all.length; i++) {
			all[i] = this.contextPositions[i] ? context : arguments[next++];
		}
		return all;
	}

	private static Exception rethrow(Throwable failure) {
		if (failure instanceof Error error) {
			throw error;
		}
		return (Exception) failure;
	}

}
