package dev.backgroundtasks.registry;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.TaskSchedule;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@link BackgroundTask} methods on every bean once it is fully initialized, proxies included,
 * and registers them. Runs after the AOP proxy creators, so tasks are invoked through the proxy and
 * {@code @Transactional} and other advice apply.
 */
public class BackgroundTaskAnnotationBeanPostProcessor
		implements BeanPostProcessor, Ordered, BeanFactoryAware, EmbeddedValueResolverAware {

	private final Set<Class<?>> classesWithoutTasks = ConcurrentHashMap.newKeySet();

	private final Set<String> registeredBeans = ConcurrentHashMap.newKeySet();

	private @Nullable BeanFactory beanFactory;

	private @Nullable StringValueResolver valueResolver;

	private @Nullable DefaultTaskRegistry registry;

	private @Nullable ResilientMethodRetries resilientMethodRetries;

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean || ScopedProxyUtils.isScopedTarget(beanName)) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutTasks.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, BackgroundTask.class)) {
			return bean;
		}
		Map<Method, BackgroundTask> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<BackgroundTask>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, BackgroundTask.class));
		if (methods.isEmpty()) {
			this.classesWithoutTasks.add(targetClass);
			return bean;
		}
		// A prototype bean's tasks register with its first instance; later instances are not tasks again.
		if (this.registeredBeans.add(beanName)) {
			methods.forEach((method, annotation) -> {
				TaskDefinition registered = registry().register(define(bean, method, annotation));
				resilientMethodRetries().check(registered, method, targetClass);
			});
		}
		return bean;
	}

	private TaskDefinition define(Object bean, Method method, BackgroundTask annotation) {
		String name = StringUtils.hasText(annotation.name()) ? resolve(annotation.name()) : method.getName();
		Method invocable;
		try {
			invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new InvalidTaskDefinitionException("@BackgroundTask method " + MethodTaskDefinitions.describe(method)
					+ " cannot be invoked through the bean's proxy: " + ex.getMessage());
		}
		return MethodTaskDefinitions
			.create(name, resolve(annotation.description()), List.of(annotation.tags()), bean, method, invocable)
			.withPolicy(declaredPolicy(annotation, method))
			.withSchedules(schedules(method, annotation));
	}

	private ExecutionPolicy declaredPolicy(BackgroundTask annotation, Method method) {
		Retry retry = annotation.retry();
		return new ExecutionPolicy(retry.maxAttempts(), duration(retry.minDelay(), "retry.minDelay", method),
				duration(retry.maxDelay(), "retry.maxDelay", method), List.of(retry.noRetryFor()),
				duration(annotation.timeout(), "timeout", method), annotation.concurrency(), annotation.remote(),
				resolve(annotation.partitionBy()), rate(annotation.rate(), method));
	}

	private @Nullable RateLimit rate(String value, Method method) {
		String text = resolve(value).trim();
		if (text.isEmpty()) {
			return null;
		}
		try {
			return RateLimit.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskDefinitionException("@BackgroundTask rate '" + text + "' on "
					+ MethodTaskDefinitions.describe(method) + ": " + ex.getMessage());
		}
	}

	private @Nullable Duration duration(String value, String attribute, Method method) {
		String text = resolve(value).trim();
		if (text.isEmpty()) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTaskDefinitionException("@BackgroundTask " + attribute + " '" + text + "' on "
					+ MethodTaskDefinitions.describe(method) + " is not a duration such as 30s, 5m or PT5M");
		}
	}

	private List<ScheduleDeclaration> schedules(Method method, BackgroundTask annotation) {
		List<ScheduleDeclaration> schedules = new ArrayList<>();
		if (StringUtils.hasText(annotation.cron())) {
			schedules.add(new ScheduleDeclaration(resolve(annotation.cron()), resolve(annotation.zone()), "",
					annotation.misfire()));
		}
		for (TaskSchedule schedule : AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
				TaskSchedule.class)) {
			schedules.add(new ScheduleDeclaration(resolve(schedule.cron()), resolve(schedule.zone()),
					resolve(schedule.every()), schedule.misfire()));
		}
		return schedules;
	}

	private String resolve(String value) {
		String resolved = (this.valueResolver != null) ? this.valueResolver.resolveStringValue(value) : value;
		return (resolved != null) ? resolved : value;
	}

	private ResilientMethodRetries resilientMethodRetries() {
		if (this.resilientMethodRetries == null) {
			this.resilientMethodRetries = new ResilientMethodRetries(this.beanFactory);
		}
		return this.resilientMethodRetries;
	}

	private DefaultTaskRegistry registry() {
		if (this.registry == null) {
			if (this.beanFactory == null) {
				throw new IllegalStateException("BeanFactory has not been set");
			}
			this.registry = this.beanFactory.getBean(DefaultTaskRegistry.class);
		}
		return this.registry;
	}

}
