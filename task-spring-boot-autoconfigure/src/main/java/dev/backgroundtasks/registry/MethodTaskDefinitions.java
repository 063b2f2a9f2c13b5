package dev.backgroundtasks.registry;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds definitions for {@code @BackgroundTask} methods: parameter names, types, defaults and
 * whether each is required.
 */
final class MethodTaskDefinitions {

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private MethodTaskDefinitions() {
	}

	/**
	 * @param name the resolved task name
	 * @param description the resolved description
	 * @param tags the tags
	 * @param bean the bean (or its proxy) to invoke
	 * @param method the annotated method on the target class, for names and annotations
	 * @param invocable the method to invoke on {@code bean}
	 */
	static TaskDefinition create(String name, String description, List<String> tags, Object bean, Method method,
			Method invocable) {
		String source = describe(method);
		List<TaskParameter> parameters = new ArrayList<>();
		String[] names = parameterNames.getParameterNames(method);
		boolean[] contextPositions = new boolean[method.getParameterCount()];
		for (int i = 0; i < method.getParameterCount(); i++) {
			// The context is injected by the worker, never bound from params.
			contextPositions[i] = method.getParameterTypes()[i] == TaskContext.class;
			if (!contextPositions[i]) {
				parameters.add(parameter(new MethodParameter(method, i), (names != null) ? names[i] : null, source));
			}
		}
		long distinct = parameters.stream().map(TaskParameter::name).distinct().count();
		if (distinct != parameters.size()) {
			throw new InvalidTaskDefinitionException("Task '" + name + "' on " + source
					+ " declares two parameters with the same name; rename one with @TaskParam(name = ...)");
		}
		Type resultType = resultType(method.getGenericReturnType());
		return new TaskDefinition(name, description, tags, source, signature(method, parameters), parameters,
				resultType, false, ExecutionPolicy.UNDECLARED, new MethodTaskInvoker(bean, invocable, contextPositions));
	}

	private static TaskParameter parameter(MethodParameter parameter, @Nullable String discoveredName,
			String source) {
		TaskParam annotation = parameter.getParameterAnnotation(TaskParam.class);
		String name = (annotation != null && StringUtils.hasText(annotation.name())) ? annotation.name()
				: discoveredName;
		if (name == null) {
			throw new InvalidTaskDefinitionException("Cannot tell the name of parameter " + parameter.getParameterIndex()
					+ " of " + source + ": compile with -parameters or name it with @TaskParam(name = ...)");
		}
		String defaultValue = (annotation != null && !TaskParam.NO_DEFAULT.equals(annotation.defaultValue()))
				? annotation.defaultValue() : null;
		Class<?> type = parameter.getParameterType();
		boolean optional = defaultValue != null || type == Optional.class || isNullable(parameter);
		boolean required = !optional || (type.isPrimitive() && defaultValue == null);
		String description = (annotation != null) ? annotation.description() : "";
		boolean sensitive = annotation != null && annotation.sensitive();
		return new TaskParameter(name, parameter.getGenericParameterType(), required, defaultValue, description,
				sensitive);
	}

	private static boolean isNullable(MethodParameter parameter) {
		return Arrays.stream(parameter.getParameterAnnotations())
			.map(Annotation::annotationType)
			.anyMatch((type) -> type.getSimpleName().equals("Nullable"))
				|| Arrays.stream(parameter.getParameter().getAnnotatedType().getAnnotations())
					.anyMatch((annotation) -> annotation.annotationType().getSimpleName().equals("Nullable"));
	}

	private static @Nullable Type resultType(Type returnType) {
		Class<?> raw = (returnType instanceof ParameterizedType parameterized)
				? (Class<?>) parameterized.getRawType() : (returnType instanceof Class<?> c) ? c : Object.class;
		if (raw == void.class || raw == Void.class) {
			return null;
		}
		if (CompletionStage.class.isAssignableFrom(raw) || Future.class.isAssignableFrom(raw)) {
			return (returnType instanceof ParameterizedType parameterized)
					? resultType(parameterized.getActualTypeArguments()[0]) : Object.class;
		}
		return returnType;
	}

	static String describe(Method method) {
		return ClassUtils.getUserClass(method.getDeclaringClass()).getName() + "#" + method.getName()
				+ Arrays.stream(method.getParameterTypes())
					.map(Class::getSimpleName)
					.collect(Collectors.joining(", ", "(", ")"));
	}

	private static String signature(Method method, List<TaskParameter> parameters) {
		return method.getName()
				+ parameters.stream()
					.map((parameter) -> shortName(parameter.type()) + " " + parameter.name())
					.collect(Collectors.joining(", ", "(", ")"))
				+ " -> " + shortName(method.getGenericReturnType());
	}

	private static String shortName(Type type) {
		return type.getTypeName().replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+", "");
	}

}
