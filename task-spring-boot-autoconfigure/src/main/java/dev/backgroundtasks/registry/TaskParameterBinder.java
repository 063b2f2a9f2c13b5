package dev.backgroundtasks.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskParam;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TreeNode;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.databind.type.LogicalType;

/**
 * Binds JSON params to a task's declared parameters with the application's {@link JsonMapper}: records,
 * collections, maps, enums, {@code java.time} types and {@code Optional} convert as Jackson converts
 * them. Every problem is collected, so one error names every missing, unknown and ill-typed parameter.
 * Only declared parameter types are ever deserialized.
 */
public class TaskParameterBinder {

	private static final int MAX_VALUE_IN_MESSAGE = 120;

	private final JsonMapper mapper;

	/**
	 * @param mapper the application's mapper; binding uses a copy that refuses lossy scalar coercions
	 * ({@code 2.5} or {@code "2"} for an {@code int}, {@code "true"} for a {@code boolean})
	 */
	public TaskParameterBinder(JsonMapper mapper) {
		this.mapper = mapper.rebuild()
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Integer, TaskParameterBinder::refuseText)
			.withCoercionConfig(LogicalType.Float, TaskParameterBinder::refuseText)
			.withCoercionConfig(LogicalType.Boolean, TaskParameterBinder::refuseText)
			.build();
	}

	private static void refuseText(MutableCoercionConfig config) {
		config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
	}

	/**
	 * Binds params to arguments.
	 * @param definition the task
	 * @param params the params as a JSON object
	 * @return one argument per declared parameter
	 * @throws InvalidTaskParametersException naming every problem found
	 */
	public @Nullable Object[] bind(TaskDefinition definition, ObjectNode params) {
		if (definition.acceptsAnyParams()) {
			return new Object[] { this.mapper.convertValue(params, Map.class) };
		}
		List<ParameterProblem> problems = new ArrayList<>();
		List<String> declared = definition.parameters().stream().map(TaskParameter::name).toList();
		for (String given : params.propertyNames()) {
			if (!declared.contains(given)) {
				problems.add(new ParameterProblem(given, "is not a parameter of task '" + definition.name()
						+ "'; its parameters are " + declared));
			}
		}
		@Nullable Object[] arguments = new Object[declared.size()];
		for (int i = 0; i < arguments.length; i++) {
			TaskParameter parameter = definition.parameters().get(i);
			JsonNode value = params.get(parameter.name());
			boolean given = value != null;
			if (value == null || value.isNull()) {
				value = defaultValue(parameter);
			}
			if (value == null || value.isNull()) {
				if (parameter.required()) {
					problems.add(new ParameterProblem(parameter.name(), (given ? "must not be null" : "is required")
							+ " (type " + parameter.type().getTypeName() + ")"));
				}
				else if (parameter.type() == Optional.class || isOptional(parameter)) {
					arguments[i] = Optional.empty();
				}
				continue;
			}
			try {
				arguments[i] = convert(value, parameter);
			}
			catch (JacksonException ex) {
				// A sensitive value is never echoed, nor is Jackson's message, which may quote it.
				problems.add(new ParameterProblem(parameter.name(), parameter.sensitive()
						? "expected " + parameter.type().getTypeName() + " but got another value (" + TaskParam.MASK
								+ ", sensitive)"
						: "expected " + parameter.type().getTypeName() + " but got " + abbreviate(value.toString()) + " ("
								+ firstLine(ex.getOriginalMessage()) + ")"));
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidTaskParametersException(definition.name(), problems);
		}
		return arguments;
	}

	/**
	 * Checks at start-up that every {@code @TaskParam} default of a task binds to its parameter.
	 * @param definition the task
	 * @throws InvalidTaskDefinitionException naming the method and the parameter
	 */
	public void checkDefaults(TaskDefinition definition) {
		for (TaskParameter parameter : definition.parameters()) {
			JsonNode value = defaultValue(parameter);
			if (value != null) {
				try {
					convert(value, parameter);
				}
				catch (JacksonException ex) {
					throw new InvalidTaskDefinitionException("Default value '"
							+ (parameter.sensitive() ? TaskParam.MASK : parameter.defaultValue()) + "' of parameter '"
							+ parameter.name() + "' of " + definition.source() + " is not a valid "
							+ parameter.type().getTypeName()
							+ (parameter.sensitive() ? " (sensitive)" : ": " + firstLine(ex.getOriginalMessage())));
				}
			}
		}
	}

	/**
	 * Converts params given as Java values to a JSON object.
	 * @param params the params by name
	 * @return the JSON object
	 */
	public ObjectNode toJson(Map<String, ?> params) {
		ObjectNode node = this.mapper.createObjectNode();
		new LinkedHashMap<>(params).forEach((name, value) -> node.set(name, this.mapper.valueToTree(value)));
		return node;
	}

	private @Nullable JsonNode defaultValue(TaskParameter parameter) {
		String text = parameter.defaultValue();
		if (text == null) {
			return null;
		}
		Class<?> raw = javaType(parameter).getRawClass();
		if (raw == Optional.class) {
			raw = javaType(parameter).containedType(0).getRawClass();
		}
		if (CharSequence.class.isAssignableFrom(raw) || raw.isEnum() || raw == char.class || raw == Character.class) {
			return StringNode.valueOf(text);
		}
		try {
			return this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return StringNode.valueOf(text);
		}
	}

	private @Nullable Object convert(JsonNode value, TaskParameter parameter) {
		// As a TreeNode: treeToValue(JsonNode, JavaType) exists only from Jackson 3.1, and Spring Boot 4.0.3,
		// for one, manages Jackson 3.0
		return this.mapper.treeToValue((TreeNode) value, javaType(parameter));
	}

	private boolean isOptional(TaskParameter parameter) {
		return javaType(parameter).getRawClass() == Optional.class;
	}

	private JavaType javaType(TaskParameter parameter) {
		return this.mapper.constructType(parameter.type());
	}

	private static String abbreviate(String json) {
		return (json.length() <= MAX_VALUE_IN_MESSAGE) ? json : json.substring(0, MAX_VALUE_IN_MESSAGE) + "...";
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "unreadable value";
		}
		String line = message.lines().findFirst().orElse(message).strip();
		return abbreviate(line.split(" \\(through reference chain")[0]);
	}

}
