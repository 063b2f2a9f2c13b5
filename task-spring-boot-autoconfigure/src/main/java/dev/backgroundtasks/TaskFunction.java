package dev.backgroundtasks;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of a task registered imperatively through {@link TaskRegistry#register}. It receives the
 * submitted params as plain JSON values (maps, lists, strings, numbers, booleans and nulls).
 */
@FunctionalInterface
public interface TaskFunction {

	/**
	 * Runs the task.
	 * @param params the submitted params, never {@code null}
	 * @return the result, stored as JSON; may be {@code null}
	 * @throws Exception any failure, stored with the execution
	 */
	@Nullable Object run(Map<String, Object> params) throws Exception;

}
