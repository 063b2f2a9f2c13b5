package dev.backgroundtasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a parameter of a {@link BackgroundTask} method.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskParam {

	/**
	 * Marker for "no default value", as an annotation attribute cannot be {@code null}.
	 */
	String NO_DEFAULT = "\n\t\t\n\t\t\n\uE000\uE001\uE002\n\t\t\t\t\n";

	/**
	 * The parameter name in the JSON params; defaults to the Java parameter name.
	 * @return the parameter name
	 */
	String name() default "";

	/**
	 * The value used when the parameter is absent, which also makes it optional. For a {@code String}
	 * or an enum it is taken as text; for other types it is read as JSON ({@code "42"}, {@code "true"},
	 * {@code "[1,2]"}, {@code "{\"a\":1}"}), falling back to a JSON string.
	 * @return the default value
	 */
	String defaultValue() default NO_DEFAULT;

	/**
	 * A human-readable description, shown by the REST API.
	 * @return the description
	 */
	String description() default "";

	/**
	 * Whether the value is a secret (a password, a token): it is stored as submitted and the task
	 * receives it, but every output shows {@value #MASK} instead: REST responses, the Actuator endpoint,
	 * logs, and error messages about this parameter (a value of the wrong type is not echoed).
	 * @return whether the value is sensitive
	 */
	boolean sensitive() default false;

	/**
	 * What outputs show instead of a sensitive value.
	 */
	String MASK = "******";

}
