package dev.backgroundtasks.registry;

import dev.backgroundtasks.TaskContext;
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

	/**
	 * Runs the task body in the calling thread with the context of the running attempt; invokers of
	 * bodies that take no context ignore it.
	 * @param arguments the bound arguments, one per declared parameter
	 * @param context passed to every {@link TaskContext} parameter of the body; {@code null} passes
	 * {@code null}
	 * @return the result, already awaited when the body returned a future
	 * @throws Exception what the task body threw, unwrapped from reflection and futures
	 */
	default @Nullable Object invoke(@Nullable Object[] arguments, @Nullable TaskContext context) throws Exception {
		return invoke(arguments);
	}

}
