package dev.backgroundtasks.aot;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskContext;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Ahead of time, finds the {@link BackgroundTask} methods of every bean the way the starter's bean
 * post-processor does at run time (on the user class behind any proxy) and registers what a native image
 * needs to run them: invocation of each method (and of the interface method a JDK proxy calls), binding
 * on every parameter type and on the result type (the {@code T} of {@code CompletableFuture<T>} or
 * {@code Optional<T>}) so that Jackson can read the params and write the result, and the annotations
 * on the method and its parameters. Registered in {@code META-INF/spring/aot.factories}.
 * <p>
 * Tasks registered as functions with {@code TaskRegistry.register} at run time are not seen here.
 */
class BackgroundTaskBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	private static final Set<Class<?>> WRAPPERS = Set.of(Optional.class, Future.class, CompletionStage.class);

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		if (AopInfrastructureBean.class.isAssignableFrom(beanClass)
				|| !AnnotationUtils.isCandidateClass(beanClass, BackgroundTask.class)) {
			return null;
		}
		Set<Method> methods = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<BackgroundTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, BackgroundTask.class))
			.keySet();
		if (methods.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> registerHints(generationContext.getRuntimeHints(), beanClass, methods);
	}

	static void registerHints(RuntimeHints hints, Class<?> beanClass, Set<Method> methods) {
		ReflectionHints reflection = hints.reflection();
		BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
		// The run-time scan lists the class's methods and reads their annotations.
		reflection.registerType(beanClass);
		for (Method method : methods) {
			reflection.registerMethod(method, ExecutableMode.INVOKE);
			Method interfaceMethod = ClassUtils.getInterfaceMethodIfPossible(method, beanClass);
			if (!interfaceMethod.equals(method)) {
				reflection.registerMethod(interfaceMethod, ExecutableMode.INVOKE);
			}
			for (int i = 0; i < method.getParameterCount(); i++) {
				if (method.getParameterTypes()[i] != TaskContext.class) {
					bindings.registerReflectionHints(reflection,
							boundClasses(ResolvableType.forMethodParameter(method, i, beanClass)));
				}
			}
			bindings.registerReflectionHints(reflection,
					boundClasses(ResolvableType.forMethodReturnType(method, beanClass)));
			annotations(method).forEach(reflection::registerType);
		}
	}

	/**
	 * The classes Jackson reads or writes for a declared type: the type itself and its type arguments,
	 * without the wrappers the starter unwraps ({@code Optional}, futures).
	 */
	private static Class<?>[] boundClasses(ResolvableType type) {
		List<Class<?>> classes = new ArrayList<>();
		collect(type, classes);
		return classes.toArray(Class<?>[]::new);
	}

	private static void collect(ResolvableType type, List<Class<?>> classes) {
		Class<?> raw = type.resolve();
		if (raw == null || raw == void.class || raw == Void.class) {
			return;
		}
		if (raw.isArray()) {
			collect(type.getComponentType(), classes);
			return;
		}
		if (WRAPPERS.stream().noneMatch((wrapper) -> wrapper.isAssignableFrom(raw))) {
			classes.add(raw);
		}
		for (ResolvableType generic : type.getGenerics()) {
			collect(generic, classes);
		}
	}

	private static List<Class<? extends Annotation>> annotations(Method method) {
		List<Annotation> annotations = new ArrayList<>(Arrays.asList(method.getAnnotations()));
		for (Parameter parameter : method.getParameters()) {
			annotations.addAll(Arrays.asList(parameter.getAnnotations()));
			annotations.addAll(Arrays.asList(parameter.getAnnotatedType().getAnnotations()));
		}
		return annotations.stream().<Class<? extends Annotation>>map(Annotation::annotationType).distinct().toList();
	}

}
