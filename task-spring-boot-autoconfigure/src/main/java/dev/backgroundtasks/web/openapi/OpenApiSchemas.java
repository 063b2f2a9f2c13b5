package dev.backgroundtasks.web.openapi;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Schema;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Builds schemas for the document being customized, in its version of OpenAPI: 3.1 writes a schema's
 * type from {@code types}, 3.0 from {@code type}, so every schema built here sets both. Schemas of Java
 * types come from the same model converters springdoc uses, and those they refer to are added to the
 * document's components.
 */
final class OpenApiSchemas {

	static final String PROBLEM = "BackgroundTasksProblem";

	static final String EXECUTE_REQUEST = "BackgroundTasksExecuteRequest";

	static final String BATCH_REQUEST = "BackgroundTasksBatchRequest";

	private static final Log logger = LogFactory.getLog(OpenApiSchemas.class);

	private final OpenAPI openApi;

	OpenApiSchemas(OpenAPI openApi) {
		this.openApi = openApi;
	}

	static Schema<Object> ofType(String type) {
		Schema<Object> schema = new Schema<>();
		schema.setType(type);
		schema.setTypes(new LinkedHashSet<>(List.of(type)));
		return schema;
	}

	static Schema<Object> ofType(String type, String format) {
		return ofType(type).format(format);
	}

	/**
	 * @return a duration as the application's JSON mapper reads and writes it: ISO-8601 text such as
	 * {@code PT30S}; springdoc's converters document it so too, but not every version of them
	 */
	static Schema<Object> duration() {
		return ofType("string", "duration");
	}

	static Schema<Object> enumOf(List<String> values) {
		Schema<Object> schema = ofType("string");
		schema.setEnum(new ArrayList<>(values));
		return schema;
	}

	static Schema<Object> arrayOf(Schema<?> items) {
		Schema<Object> schema = ofType("array");
		schema.setItems(items);
		return schema;
	}

	static Schema<Object> object(Map<String, Schema> properties) {
		Schema<Object> schema = ofType("object");
		schema.setProperties(new LinkedHashMap<>(properties));
		return schema;
	}

	static Schema<Object> ref(String name) {
		return new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + name);
	}

	/**
	 * A schema with a description and a default of its own: around a reference, an {@code allOf} holds
	 * them, as OpenAPI 3.0 ignores what sits beside a {@code $ref}.
	 * @param schema a schema
	 * @return the schema itself, or one that wraps a reference
	 */
	static Schema<Object> describable(Schema<Object> schema) {
		if (schema.get$ref() == null) {
			return schema;
		}
		return new Schema<>().allOf(List.of(schema));
	}

	boolean isOpenApi31() {
		return this.openApi.getSpecVersion() == SpecVersion.V31;
	}

	/**
	 * @param type a Java type
	 * @return its schema as springdoc's converters see it, a reference for a class with properties; any
	 * value when the converters cannot read the type
	 */
	Schema<Object> of(Type type) {
		try {
			ResolvedSchema resolved = ModelConverters.getInstance(isOpenApi31())
				.resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
			if (resolved == null || resolved.schema == null) {
				return new Schema<>();
			}
			if (resolved.referencedSchemas != null) {
				resolved.referencedSchemas.forEach(this::addIfAbsent);
			}
			@SuppressWarnings("unchecked")
			Schema<Object> schema = resolved.schema;
			return schema;
		}
		catch (RuntimeException ex) {
			// One parameter of an odd type must not take the whole document down: it is documented as any value.
			logger.debug("No schema for " + type.getTypeName() + ", documented as any value", ex);
			return new Schema<>();
		}
	}

	/**
	 * Adds a schema to the components unless one of that name is there already.
	 * @param name the name
	 * @param schema the schema
	 */
	void addIfAbsent(String name, Schema schema) {
		if (this.openApi.getComponents() == null) {
			this.openApi.setComponents(new Components());
		}
		Map<String, Schema> schemas = this.openApi.getComponents().getSchemas();
		if (schemas == null || !schemas.containsKey(name)) {
			this.openApi.getComponents().addSchemas(name, schema);
		}
	}

	/**
	 * Documents properties of a schema of the components as durations, whatever the version of springdoc's
	 * converters made of them.
	 * @param name the name of the schema
	 * @param properties the names of its properties that are durations
	 */
	void durations(String name, String... properties) {
		Schema<?> schema = component(name);
		if (schema == null || schema.getProperties() == null) {
			return;
		}
		for (String property : properties) {
			if (schema.getProperties().containsKey(property)) {
				schema.getProperties().put(property, duration());
			}
		}
	}

	/**
	 * @param name the name of a schema of the components
	 * @return it, or {@code null}
	 */
	@Nullable Schema<?> component(String name) {
		Components components = this.openApi.getComponents();
		return (components != null && components.getSchemas() != null) ? components.getSchemas().get(name) : null;
	}

}
