package dev.backgroundtasks.registry;

import org.jspecify.annotations.Nullable;

/**
 * Calls the code behind a task with arguments already bound by {@link TaskParameterBinder}.
 */
@FunctionalInterface
public interface TaskInvoker {

	/**
	 * Runs the task body in the calling thread.
	 * @param arguments the bound arguments, one per declared parameter
	 * @return the result, already awaited when the body returned a future
	 * @throws Exception what the task body threw, unwrapped from reflection and futures
	 */
	@Nullable Object invoke(@Nullable Object[] arguments) throws Exception;

}
