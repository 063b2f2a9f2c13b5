package dev.backgroundtasks;

import org.jspecify.annotations.Nullable;

/**
 * A parameter of a task, as a submission sees it.
 *
 * @param name the name to use in the JSON params
 * @param type the Java type, with generics ({@code java.util.List<java.lang.Integer>})
 * @param required whether a submission must give it
 * @param defaultValue the default value used when it is absent, or {@code null}; {@value TaskParam#MASK}
 * for a sensitive parameter
 * @param description a human-readable description, empty when none was given
 * @param sensitive whether its value is a secret, masked in every output (its default value too)
 */
public record TaskParameterInfo(String name, String type, boolean required, @Nullable String defaultValue,
		String description, boolean sensitive) {
}
