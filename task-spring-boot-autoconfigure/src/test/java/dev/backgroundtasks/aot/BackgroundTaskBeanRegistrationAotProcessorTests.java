package dev.backgroundtasks.aot;

import java.lang.reflect.Method;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.TaskContext;
import dev.backgroundtasks.TaskParam;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class BackgroundTaskBeanRegistrationAotProcessorTests {

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final GenerationContext generationContext = new DefaultGenerationContext(
			new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());

	private final BackgroundTaskBeanRegistrationAotProcessor processor = new BackgroundTaskBeanRegistrationAotProcessor();

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
			.hasAtLeastOneElementOfType(BackgroundTaskBeanRegistrationAotProcessor.class);
	}

	@Test
	void taskMethodsAreInvocableAndTheirTypesBindable() throws NoSuchMethodException {
		RuntimeHints hints = process(ReportTasks.class);
		Method report = ReportTasks.class.getMethod("report", ReportRequest.class, TaskContext.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(report)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReportRequest.class, "region"))
			.accepts(hints);
		// CompletableFuture<List<Report>>: the report, reached through the future and the list
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Report.class, "lines")).accepts(hints);
		// Optional<Cutoff> parameter
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Cutoff.class, "day")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(CompletableFuture.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TaskContext.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TaskParam.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(BackgroundTask.class)).accepts(hints);
		// Not a task: only the methods the run-time scan registers are invocable
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReportTasks.class, "helper")).rejects(hints);
	}

	@Test
	void genericReturnTypeIsResolvedAgainstTheBeanClass() throws NoSuchMethodException {
		RuntimeHints hints = process(ReportRequestTasks.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(GenericTasks.class.getMethod("echo", Object.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ReportRequest.class, "region"))
			.accepts(hints);
	}

	@Test
	void proxiedBeanIsScannedOnItsUserClass() throws NoSuchMethodException {
		Class<?> proxyClass = proxyClass(new ReportTasks());
		assertThat(proxyClass).isNotEqualTo(ReportTasks.class);
		RuntimeHints hints = process(proxyClass);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ReportTasks.class.getMethod("report", ReportRequest.class, TaskContext.class)))
			.accepts(hints);
	}

	@Test
	void interfaceMethodIsInvocableForJdkProxies() throws NoSuchMethodException {
		RuntimeHints hints = process(GreetingTasks.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(GreetingTasks.class.getMethod("greet", String.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Greeter.class.getMethod("greet", String.class)))
			.accepts(hints);
	}

	@Test
	void beanWithoutTasksContributesNothing() {
		this.beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(String.class));
		assertThat(this.processor.processAheadOfTime(RegisteredBean.of(this.beanFactory, "plain"))).isNull();
	}

	private RuntimeHints process(Class<?> beanClass) {
		this.beanFactory.registerBeanDefinition("tasks", new RootBeanDefinition(beanClass));
		BeanRegistrationAotContribution contribution = this.processor
			.processAheadOfTime(RegisteredBean.of(this.beanFactory, "tasks"));
		assertThat(contribution).isNotNull();
		contribution.applyTo(this.generationContext, mock(BeanRegistrationCode.class));
		return this.generationContext.getRuntimeHints();
	}

	private static Class<?> proxyClass(Object target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		return factory.getProxy().getClass();
	}

	public record ReportRequest(String region, int year) {
	}

	public record Report(String title, List<String> lines) {
	}

	public record Cutoff(LocalDate day) {
	}

	public static class ReportTasks {

		@BackgroundTask
		public CompletableFuture<List<Report>> report(ReportRequest request, TaskContext context) {
			return CompletableFuture.completedFuture(List.of());
		}

		@BackgroundTask
		public void purge(@TaskParam(name = "before") Optional<Cutoff> cutoff) {
		}

		public String helper() {
			return "";
		}

	}

	public interface Greeter {

		String greet(String name);

	}

	public static class GreetingTasks implements Greeter {

		@Override
		@BackgroundTask
		public String greet(String name) {
			return "Hello, " + name;
		}

	}

	public abstract static class GenericTasks<T> {

		@BackgroundTask
		public T echo(T value) {
			return value;
		}

	}

	public static class ReportRequestTasks extends GenericTasks<ReportRequest> {

	}

}
