package dev.backgroundtasks.web.openapi;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import dev.backgroundtasks.registry.TaskDefinition;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ClassUtils;

import static dev.backgroundtasks.web.openapi.OpenApiSchemas.describable;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.object;
import static dev.backgroundtasks.web.openapi.OpenApiSchemas.ofType;

/**
 * The schema of a task's {@code params}, from what the registry knows of each parameter: its Java type
 * (as springdoc would document it), whether it is required, its default value, typed as the task reads
 * it, and its description. Sensitive parameters show no default. Also an example of the params, for
 * Swagger UI to fill its form with: the defaults, and a placeholder for each required parameter.
 */
final class ParameterSchemas {

	private final DefaultTaskRegistry registry;

	private final JsonMapper mapper;

	private final OpenApiSchemas schemas;

	private final Examples examples;

	ParameterSchemas(DefaultTaskRegistry registry, JsonMapper mapper, OpenApiSchemas schemas) {
		this.registry = registry;
		this.mapper = mapper;
		this.schemas = schemas;
		this.examples = new Examples(schemas);
	}

	/**
	 * @param task a task
	 * @return the schema of its params, and an example of them
	 */
	Params params(TaskInfo task) {
		if (task.acceptsAnyParams()) {
			Schema<Object> any = ofType("object").additionalProperties(true)
				.description("Any JSON object: the task, registered from code, receives the params as they are");
			return new Params(any, Map.of(), false);
		}
		Map<String, Type> types = declaredTypes(task.name());
		Map<String, Schema> properties = new LinkedHashMap<>();
		Map<String, Object> example = new LinkedHashMap<>();
		List<String> required = new ArrayList<>();
		for (TaskParameterInfo parameter : task.parameters()) {
			Type type = types.get(parameter.name());
			Class<?> raw = rawType(type, parameter.type());
			Schema<Object> schema = describable((raw == Duration.class) ? OpenApiSchemas.duration()
					: (type != null) ? this.schemas.of(type) : ofJavaName(parameter.type()));
			if (!parameter.description().isEmpty()) {
				schema.setDescription(parameter.description());
			}
			Object defaultValue = (parameter.sensitive() || parameter.defaultValue() == null) ? null
					: typedDefault(parameter.defaultValue(), raw);
			if (defaultValue != null) {
				schema.setDefault(defaultValue);
				example.put(parameter.name(), defaultValue);
			}
			if (parameter.sensitive()) {
				sensitive(schema);
			}
			if (parameter.required()) {
				required.add(parameter.name());
				example.putIfAbsent(parameter.name(), this.examples.of(schema));
			}
			properties.put(parameter.name(), schema);
		}
		Schema<Object> params = object(properties).additionalProperties(false)
			.description("The task's params by name; an unknown one is refused (400)");
		if (!required.isEmpty()) {
			params.setRequired(required);
		}
		return new Params(params, example, !required.isEmpty());
	}

	private static void sensitive(Schema<Object> schema) {
		String description = (schema.getDescription() != null) ? schema.getDescription() + ". " : "";
		schema.setDescription(description + "Sensitive: every output shows `******` instead of the value");
		schema.setWriteOnly(true);
		if ("string".equals(Examples.type(schema))) {
			schema.setFormat("password");
		}
	}

	private Map<String, Type> declaredTypes(String task) {
		Map<String, Type> types = new LinkedHashMap<>();
		this.registry.definition(task)
			.map(TaskDefinition::parameters)
			.ifPresent((parameters) -> parameters.forEach((p) -> types.put(p.name(), p.type())));
		return types;
	}

	/** Only where the registry does not know the type itself: a class by its name, else any value. */
	private Schema<Object> ofJavaName(String typeName) {
		Class<?> type = load(typeName);
		return (type != null) ? this.schemas.of(type) : new Schema<>();
	}

	private @Nullable Class<?> rawType(@Nullable Type type, String typeName) {
		if (type == null) {
			return load(typeName);
		}
		JavaType javaType = this.mapper.constructType(type);
		if (javaType.getRawClass() == Optional.class && javaType.containedTypeCount() == 1) {
			return javaType.containedType(0).getRawClass();
		}
		return javaType.getRawClass();
	}

	/**
	 * The default as the task's parameter binding reads it: text for a string, an enum or a character,
	 * else JSON, falling back to text.
	 */
	private Object typedDefault(String text, @Nullable Class<?> raw) {
		if (raw != null && (CharSequence.class.isAssignableFrom(raw) || raw.isEnum() || raw == char.class
				|| raw == Character.class)) {
			return text;
		}
		try {
			Object value = this.mapper.readValue(text, Object.class);
			return (value != null) ? value : text;
		}
		catch (JacksonException ex) {
			return text;
		}
	}

	private static @Nullable Class<?> load(String typeName) {
		try {
			return ClassUtils.forName(typeName, null);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	/**
	 * @param schema the schema of the params
	 * @param example an example of them
	 * @param required whether any parameter is required
	 */
	record Params(Schema<Object> schema, Map<String, Object> example, boolean required) {
	}

}
