package dev.backgroundtasks.aot;

import java.util.ArrayList;
import java.util.List;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.execution.TaskExecution;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundTasksRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	BackgroundTasksRuntimeHintsTests() {
		new BackgroundTasksRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(BackgroundTasksRuntimeHints.class);
	}

	@Test
	void migrationsOfEveryDatabaseAreResources() {
		for (String migration : new String[] { "dev/backgroundtasks/db/migration/h2/V1__create_execution.sql",
				"dev/backgroundtasks/db/migration/postgresql/V16__production_faults.sql",
				"dev/backgroundtasks/db/migration/mariadb/V1__create_schema.sql" }) {
			assertThat(new ClassPathResource(migration).exists()).as(migration).isTrue();
			assertThat(RuntimeHintsPredicates.resource().forResource(migration)).as(migration).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.resource().forResource("db/migration/V1__app.sql")).rejects(this.hints);
	}

	@Test
	void dashboardTemplatesAndAssetsAreResources() {
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("dev/backgroundtasks/web/dashboard/templates/overview.html")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/backgroundtasks/web/dashboard/static/dashboard.js"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(dev.backgroundtasks.web.dashboard.DashboardFormat.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
	}

	@Test
	void executionEntityIsReflective() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TaskExecution.class)
			.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS,
					MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(this.hints);
	}

	@Test
	void recordsWrittenAsJsonHaveBindingHints() throws NoSuchMethodException {
		for (Class<?> type : new Class<?>[] { Execution.class, ExecutionError.class, TaskInfo.class,
				TaskParameterInfo.class, ExecutionStatusEvent.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type.getMethod(firstComponent(type))))
				.as(type.getName())
				.accepts(this.hints);
		}
		// Reached through Execution's components, not listed on their own.
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ExecutionError.class, "message"))
			.accepts(this.hints);
	}

	@Test
	void typesNamedAsTextExist() {
		List<String> names = new ArrayList<>(BackgroundTasksRuntimeHints.DASHBOARD_MODEL);
		names.addAll(BackgroundTasksRuntimeHints.ENDPOINT_MODEL);
		names.add(BackgroundTasksRuntimeHints.CLUSTER_ENVELOPE);
		for (String name : names) {
			assertThat(ClassUtils.isPresent(name, getClass().getClassLoader())).as(name).isTrue();
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name))).as(name).accepts(this.hints);
		}
	}

	@Test
	void taskAnnotationsAreReflective() {
		assertThat(RuntimeHintsPredicates.reflection().onType(BackgroundTask.class)).accepts(this.hints);
	}

	private static String firstComponent(Class<?> type) {
		return type.getRecordComponents()[0].getName();
	}

}
