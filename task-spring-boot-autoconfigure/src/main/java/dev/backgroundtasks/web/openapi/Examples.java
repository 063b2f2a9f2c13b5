package dev.backgroundtasks.web.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A placeholder value for a schema, as Swagger UI would make it but valid for the formats the task's
 * parameter binding reads (a date, an instant, a duration, a UUID): what a required parameter without a
 * default shows in the example body, ready to be edited.
 */
final class Examples {

	private static final int MAX_DEPTH = 4;

	private final OpenApiSchemas schemas;

	Examples(OpenApiSchemas schemas) {
		this.schemas = schemas;
	}

	/**
	 * @param schema a schema
	 * @return a value it accepts
	 */
	Object of(Schema<?> schema) {
		Object value = of(schema, 0);
		return (value != null) ? value : "string";
	}

	private @Nullable Object of(@Nullable Schema<?> schema, int depth) {
		if (schema == null || depth > MAX_DEPTH) {
			return null;
		}
		if (schema.getExample() != null) {
			return schema.getExample();
		}
		if (schema.getDefault() != null) {
			return schema.getDefault();
		}
		if (schema.get$ref() != null) {
			String ref = schema.get$ref();
			String name = ref.startsWith(Components.COMPONENTS_SCHEMAS_REF)
					? ref.substring(Components.COMPONENTS_SCHEMAS_REF.length()) : ref;
			return of(this.schemas.component(name), depth + 1);
		}
		if (schema.getAllOf() != null && !schema.getAllOf().isEmpty()) {
			return of(schema.getAllOf().get(0), depth + 1);
		}
		if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
			return schema.getEnum().get(0);
		}
		String type = type(schema);
		if (type == null) {
			return (schema.getProperties() != null) ? object(schema, depth) : null;
		}
		return switch (type) {
			case "string" -> string(schema.getFormat());
			case "integer", "number" -> 0;
			case "boolean" -> false;
			case "array" -> {
				Object item = of(schema.getItems(), depth + 1);
				yield (item != null) ? List.of(item) : List.of();
			}
			case "object" -> object(schema, depth);
			default -> null;
		};
	}

	private Map<String, Object> object(Schema<?> schema, int depth) {
		Map<String, Object> value = new LinkedHashMap<>();
		if (schema.getProperties() != null) {
			schema.getProperties().forEach((name, property) -> {
				Object example = of(property, depth + 1);
				if (example != null) {
					value.put(name, example);
				}
			});
		}
		return value;
	}

	private static String string(@Nullable String format) {
		if (format == null) {
			return "string";
		}
		return switch (format) {
			case "date" -> "2026-01-01";
			case "date-time" -> "2026-01-01T09:00:00Z";
			case "time", "partial-time" -> "09:00:00";
			case "duration" -> "PT1M";
			case "uuid" -> "3fa85f64-5717-4562-b3fc-2c963f66afa6";
			case "email" -> "user@example.com";
			case "uri", "url" -> "https://example.com";
			default -> "string";
		};
	}

	/**
	 * @param schema a schema
	 * @return its type, in OpenAPI 3.0 ({@code type}) or 3.1 ({@code types}), or {@code null}
	 */
	static @Nullable String type(Schema<?> schema) {
		if (schema.getType() != null) {
			return schema.getType();
		}
		Set<String> types = schema.getTypes();
		return (types != null) ? types.stream().filter((type) -> !"null".equals(type)).findFirst().orElse(null) : null;
	}

}
