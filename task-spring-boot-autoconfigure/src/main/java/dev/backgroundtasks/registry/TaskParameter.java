package dev.backgroundtasks.registry;

import java.lang.reflect.Type;

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
 */
public record TaskParameter(String name, Type type, boolean required, @Nullable String defaultValue,
		String description) {

	TaskParameterInfo toInfo() {
		return new TaskParameterInfo(this.name, this.type.getTypeName(), this.required, this.defaultValue,
				this.description);
	}

}
