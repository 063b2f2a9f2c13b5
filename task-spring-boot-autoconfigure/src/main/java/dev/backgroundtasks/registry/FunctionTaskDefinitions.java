package dev.backgroundtasks.registry;

import java.util.List;
import java.util.Map;

import dev.backgroundtasks.TaskFunction;

/**
 * Builds definitions for tasks registered with a {@link TaskFunction}.
 */
final class FunctionTaskDefinitions {

	private FunctionTaskDefinitions() {
	}

	@SuppressWarnings("unchecked")
	static TaskDefinition create(String name, TaskFunction function, List<String> tags) {
		TaskInvoker invoker = (arguments) -> function.run((Map<String, Object>) arguments[0]);
		String source = "function";
		return new TaskDefinition(name, "", tags, source, name + "(Map<String, Object> params)", List.of(), null,
				true, ExecutionPolicy.UNDECLARED, invoker);
	}

}
