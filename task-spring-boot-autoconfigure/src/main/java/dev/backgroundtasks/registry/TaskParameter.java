package dev.backgroundtasks.registry;

import java.lang.reflect.Type;

import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskParameterInfo;
import org.jspecify.annotations.Nullable;

/**
 * A declared parameter of a task method.
 *
 * @param name the name submissions use
 * @param type the generic Java type to bind JSON to
 * @param required whether a submission must give it
 * @param defaultValue the {@code @TaskParam} default, or {@code null}
 * @param description the {@code @TaskParam} description, or empty
 * @param sensitive whether its value is masked in every output
 */
public record TaskParameter(String name, Type type, boolean required, @Nullable String defaultValue,
		String description, boolean sensitive) {

	/**
	 * A parameter whose value is not sensitive.
	 * @param name the name submissions use
	 * @param type the generic Java type to bind JSON to
	 * @param required whether a submission must give it
	 * @param defaultValue the {@code @TaskParam} default, or {@code null}
	 * @param description the {@code @TaskParam} description, or empty
	 */
	public TaskParameter(String name, Type type, boolean required, @Nullable String defaultValue, String description) {
		this(name, type, required, defaultValue, description, false);
	}

	TaskParameterInfo toInfo() {
		return new TaskParameterInfo(this.name, this.type.getTypeName(), this.required,
				(this.sensitive && this.defaultValue != null) ? TaskParam.MASK : this.defaultValue, this.description,
				this.sensitive);
	}

}
