package dev.backgroundtasks.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.TaskRegistry;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanDefinitionCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link BackgroundTaskAnnotationBeanPostProcessor} and {@link DefaultTaskRegistry} in real
 * application contexts, proxied beans included.
 */
class BackgroundTaskAnnotationBeanPostProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(TaskInfrastructureConfiguration.class);

	@Test
	void findsTaskOnClassProxiedByTransactionalAndInvokesItThroughTheProxy() {
		this.contextRunner.withUserConfiguration(ClassProxyTransactionConfiguration.class)
			.withBean(TransactionalTasks.class)
			.run((context) -> {
				assertThat(AopUtils.isCglibProxy(context.getBean(TransactionalTasks.class))).isTrue();
				RecordingTransactionManager transactionManager = context.getBean(RecordingTransactionManager.class);
				assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isFalse();
				assertThat(invoke(context, "inTransaction")).isEqualTo(true);
				assertThat(transactionManager.commits).hasValue(1);
			});
	}

	@Test
	void findsTaskOnInterfaceBasedJdkProxyAndInvokesItThroughTheProxy() {
		this.contextRunner.withUserConfiguration(InterfaceProxyTransactionConfiguration.class)
			.withBean(Greeter.class, TransactionalGreeter::new)
			.run((context) -> {
				assertThat(AopUtils.isJdkDynamicProxy(context.getBean(Greeter.class))).isTrue();
				assertThat(context.getBean(TaskRegistry.class).find("greet")).isPresent();
				assertThat(invoke(context, "greet", "Ada")).isEqualTo("Hello Ada, in transaction: true");
				assertThat(context.getBean(RecordingTransactionManager.class).commits).hasValue(1);
			});
	}

	@Test
	void failsStartUpWhenTaskMethodIsNotReachableThroughTheJdkProxy() {
		this.contextRunner.withUserConfiguration(InterfaceProxyTransactionConfiguration.class)
			.withBean(Greeter.class, GreeterWithHiddenTask::new)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(GreeterWithHiddenTask.class.getName() + "#hidden()")
				.hasMessageContaining("proxy"));
	}

	@Test
	void invokesTaskThroughAspectJAutoProxy() {
		this.contextRunner.withUserConfiguration(AspectConfiguration.class)
			.withBean(AdvisedTasks.class)
			.run((context) -> {
				assertThat(AopUtils.isAopProxy(context.getBean(AdvisedTasks.class))).isTrue();
				assertThat(invoke(context, "plain")).isEqualTo("advised plain");
			});
	}

	@Test
	void namesDefaultToTheMethodName() {
		this.contextRunner.withBean(Reports.class)
			.run((context) -> assertThat(context.getBean(TaskRegistry.class).tasks()).extracting(TaskInfo::name)
				.containsExactly("cleanup", "daily-report"));
	}

	@Test
	void resolvesPlaceholdersInNameAndDescription() {
		this.contextRunner.withBean(PlaceholderTasks.class)
			.withPropertyValues("tasks.name=nightly-export", "tasks.description=Exports everything")
			.run((context) -> {
				TaskRegistry registry = context.getBean(TaskRegistry.class);
				assertThat(registry.tasks()).extracting(TaskInfo::name).containsExactly("fallback", "nightly-export");
				assertThat(registry.find("nightly-export")).get()
					.extracting(TaskInfo::description)
					.isEqualTo("Exports everything");
				assertThat(registry.find("fallback")).get()
					.extracting(TaskInfo::description)
					.isEqualTo("Default description");
			});
	}

	@Test
	void invalidNameFailsStartUpNamingTheMethod() {
		this.contextRunner.withBean(InvalidNameTasks.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("'daily report!'")
				.hasMessageContaining(InvalidNameTasks.class.getName() + "#run()"));
	}

	@Test
	void duplicateNameFailsStartUpNamingBothMethods() {
		this.contextRunner.withBean(Reports.class)
			.withBean(DuplicateReports.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("Duplicate task name 'daily-report'")
				.hasMessageContaining(Reports.class.getName() + "#dailyReport(")
				.hasMessageContaining(DuplicateReports.class.getName() + "#report()"));
	}

	@Test
	void namesThatCollideIgnoringCaseDashesAndUnderscoresFailStartUp() {
		this.contextRunner.withBean(Reports.class)
			.withBean(CollidingReports.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining("'daily-report'")
				.hasMessageContaining("'Daily_Report'")
				.hasMessageContaining(Reports.class.getName() + "#dailyReport(")
				.hasMessageContaining(CollidingReports.class.getName() + "#report()"));
	}

	@Test
	void functionTaskCollidingWithMethodTaskIsRejected() {
		this.contextRunner.withBean(Reports.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(catchThrowable(() -> registry.register("dailyReport", (params) -> null)))
				.isInstanceOf(InvalidTaskDefinitionException.class)
				.hasMessageContaining(Reports.class.getName() + "#dailyReport(");
			assertThat(registry.tasks()).extracting(TaskInfo::name).containsExactly("cleanup", "daily-report");
		});
	}

	@Test
	void prototypeBeanCanBeCreatedMoreThanOnce() {
		BeanDefinitionCustomizer prototype = (definition) -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
		this.contextRunner.withBean(PrototypeTasks.class, PrototypeTasks::new, prototype)
			.run((context) -> {
				assertThat(context.getBean(PrototypeTasks.class)).isNotSameAs(context.getBean(PrototypeTasks.class));
				assertThat(context.getBean(TaskRegistry.class).tasks()).extracting(TaskInfo::name)
					.containsExactly("work");
			});
	}

	@Test
	void exposesTaskMetadata() {
		this.contextRunner.withBean(Reports.class).run((context) -> {
			TaskInfo info = context.getBean(TaskRegistry.class).find("daily-report").orElseThrow();
			assertThat(info.description()).isEqualTo("Builds the daily report");
			assertThat(info.tags()).containsExactly("reports", "daily");
			assertThat(info.method()).startsWith(Reports.class.getName() + "#dailyReport");
			assertThat(info.signature())
				.isEqualTo("dailyReport(String region, int days, List<Integer> ids) -> Map<String, Object>");
			assertThat(info.acceptsAnyParams()).isFalse();
			assertThat(info.parameters()).containsExactly(
					new TaskParameterInfo("region", "java.lang.String", false, "all", "Region to report on", false),
					new TaskParameterInfo("days", "int", true, null, "", false),
					new TaskParameterInfo("ids", "java.util.List<java.lang.Integer>", false, null, "Only these", false));
			TaskInfo cleanup = context.getBean(TaskRegistry.class).find("cleanup").orElseThrow();
			assertThat(cleanup.description()).isEmpty();
			assertThat(cleanup.tags()).isEmpty();
			assertThat(cleanup.parameters()).isEmpty();
			assertThat(cleanup.signature()).isEqualTo("cleanup() -> void");
		});
	}

	@Test
	void filtersTasksByTagsWithAndSemantics() {
		this.contextRunner.withBean(TaggedTasks.class).run((context) -> {
			TaskRegistry registry = context.getBean(TaskRegistry.class);
			assertThat(registry.tasks(List.of("a", "b"))).extracting(TaskInfo::name).containsExactly("ab", "abc");
			assertThat(registry.tasks(List.of("a"))).extracting(TaskInfo::name).containsExactly("a", "ab", "abc");
			assertThat(registry.tasks(List.of("c", "b"))).extracting(TaskInfo::name).containsExactly("abc");
			assertThat(registry.tasks(List.of("a", "z"))).isEmpty();
			assertThat(registry.tasks(List.of())).extracting(TaskInfo::name).containsExactly("a", "ab", "abc", "none");
		});
	}

	private static @Nullable Object invoke(AssertableApplicationContext context, String task,
			@Nullable Object... arguments) throws Exception {
		TaskDefinition definition = context.getBean(DefaultTaskRegistry.class).definition(task).orElseThrow();
		return definition.invoker().invoke(arguments);
	}

	@Configuration(proxyBeanMethods = false)
	static class TaskInfrastructureConfiguration {

		@Bean
		static BackgroundTaskAnnotationBeanPostProcessor backgroundTaskAnnotationBeanPostProcessor() {
			return new BackgroundTaskAnnotationBeanPostProcessor();
		}

		@Bean
		DefaultTaskRegistry taskRegistry() {
			return new DefaultTaskRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true)
	static class ClassProxyTransactionConfiguration {

		@Bean
		RecordingTransactionManager transactionManager() {
			return new RecordingTransactionManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = false)
	static class InterfaceProxyTransactionConfiguration {

		@Bean
		RecordingTransactionManager transactionManager() {
			return new RecordingTransactionManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAspectJAutoProxy
	static class AspectConfiguration {

		@Bean
		PrefixingAspect prefixingAspect() {
			return new PrefixingAspect();
		}

	}

	/**
	 * A transaction manager without a resource that counts commits.
	 */
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		final AtomicInteger commits = new AtomicInteger();

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			this.commits.incrementAndGet();
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

	@Transactional
	static class TransactionalTasks {

		@BackgroundTask
		public boolean inTransaction() {
			return TransactionSynchronizationManager.isActualTransactionActive();
		}

	}

	interface Greeter {

		String greet(String name);

	}

	@Transactional
	static class TransactionalGreeter implements Greeter {

		@Override
		@BackgroundTask
		public String greet(String name) {
			return "Hello " + name + ", in transaction: " + TransactionSynchronizationManager.isActualTransactionActive();
		}

	}

	@Transactional
	static class GreeterWithHiddenTask implements Greeter {

		@Override
		public String greet(String name) {
			return name;
		}

		@BackgroundTask
		public void hidden() {
		}

	}

	@Aspect
	static class PrefixingAspect {

		@Around("execution(String dev.backgroundtasks.registry.BackgroundTaskAnnotationBeanPostProcessorTests.AdvisedTasks.*(..))")
		Object prefix(ProceedingJoinPoint joinPoint) throws Throwable {
			return "advised " + joinPoint.proceed();
		}

	}

	static class AdvisedTasks {

		@BackgroundTask
		public String plain() {
			return "plain";
		}

	}

	static class Reports {

		@BackgroundTask(name = "daily-report", description = "Builds the daily report", tags = { "reports", "daily" })
		public Map<String, Object> dailyReport(
				@TaskParam(defaultValue = "all", description = "Region to report on") String region, int days,
				@TaskParam(description = "Only these") @Nullable List<Integer> ids) {
			return Map.of();
		}

		@BackgroundTask
		public void cleanup() {
		}

		public void notATask() {
		}

	}

	static class DuplicateReports {

		@BackgroundTask(name = "daily-report")
		public void report() {
		}

	}

	static class CollidingReports {

		@BackgroundTask(name = "Daily_Report")
		public void report() {
		}

	}

	static class PrototypeTasks {

		@BackgroundTask
		public void work() {
		}

	}

	static class InvalidNameTasks {

		@BackgroundTask(name = "daily report!")
		public void run() {
		}

	}

	static class PlaceholderTasks {

		@BackgroundTask(name = "${tasks.name}", description = "${tasks.description}")
		public void export() {
		}

		@BackgroundTask(name = "${tasks.other-name:fallback}",
				description = "${tasks.other-description:Default description}")
		public void other() {
		}

	}

	static class TaggedTasks {

		@BackgroundTask(tags = "a")
		public void a() {
		}

		@BackgroundTask(tags = { "a", "b" })
		public void ab() {
		}

		@BackgroundTask(tags = { "b", "c", "a" })
		public void abc() {
		}

		@BackgroundTask
		public void none() {
		}

	}

}
