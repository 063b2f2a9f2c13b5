package dev.backgroundtasks.aot;

import java.util.List;

import dev.backgroundtasks.BackgroundTask;
import dev.backgroundtasks.Execution;
import dev.backgroundtasks.ExecutionAttempt;
import dev.backgroundtasks.ExecutionError;
import dev.backgroundtasks.ExecutionProgress;
import dev.backgroundtasks.LastExecution;
import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.Retry;
import dev.backgroundtasks.RetryInfo;
import dev.backgroundtasks.ScheduleInfo;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParam;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.TaskSchedule;
import dev.backgroundtasks.TaskSchedules;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.event.ExecutionCustomEvent;
import dev.backgroundtasks.event.ExecutionProgressEvent;
import dev.backgroundtasks.event.ExecutionStatusEvent;
import dev.backgroundtasks.event.SequencedEvent;
import dev.backgroundtasks.execution.ExecutionPage;
import dev.backgroundtasks.execution.NodeInfo;
import dev.backgroundtasks.execution.TaskExecution;
import dev.backgroundtasks.web.BatchResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the starter always needs in a GraalVM native image, whichever tasks the application declares:
 * its Flyway migrations and the dashboard's templates and assets as resources, the
 * {@code TaskExecution} entity (added to the persistence unit at run time, so Spring's JPA processing
 * ahead of time does not see it), the annotations read from task methods, and binding on the records
 * the REST API, the event stream and the cluster relay write and read as JSON. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class BackgroundTasksRuntimeHints implements RuntimeHintsRegistrar {

	/** The migrations of every database, read by the starter's own Flyway. */
	static final String MIGRATIONS = "dev/backgroundtasks/db/migration/**";

	/** The dashboard's Thymeleaf templates. */
	static final String DASHBOARD_TEMPLATES = "dev/backgroundtasks/web/dashboard/templates/*.html";

	/** The dashboard's own scripts, styles and icon. */
	static final String DASHBOARD_ASSETS = "dev/backgroundtasks/web/dashboard/static/*";

	private static final List<Class<?>> API_RECORDS = List.of(Execution.class, ExecutionAttempt.class,
			ExecutionError.class, ExecutionProgress.class, LastExecution.class, ParameterProblem.class,
			RetryInfo.class, ScheduleInfo.class, TaskInfo.class, TaskParameterInfo.class, TaskStatus.class,
			TaskTrigger.class, Misfire.class, ExecutionPage.class, NodeInfo.class, BatchResponse.class);

	private static final List<Class<?>> EVENTS = List.of(ExecutionStatusEvent.class, ExecutionProgressEvent.class,
			ExecutionCustomEvent.class, SequencedEvent.class);

	private static final List<Class<?>> TASK_ANNOTATIONS = List.of(BackgroundTask.class, TaskSchedule.class,
			TaskSchedules.class, Retry.class, TaskParam.class);

	/** Objects the dashboard's templates read properties from and call methods on. */
	static final List<String> DASHBOARD_MODEL = List.of("dev.backgroundtasks.web.dashboard.DashboardFormat",
			"dev.backgroundtasks.web.dashboard.DashboardData$Slice",
			"dev.backgroundtasks.web.dashboard.DashboardData$Overview",
			"dev.backgroundtasks.web.dashboard.DashboardView$CsrfField",
			"dev.backgroundtasks.web.dashboard.ExecutionSearch", "dev.backgroundtasks.web.dashboard.RunForm",
			"dev.backgroundtasks.web.dashboard.RunForm$Field", "dev.backgroundtasks.web.dashboard.BulkActions$Request",
			"dev.backgroundtasks.web.dashboard.BulkActions$Result",
			"dev.backgroundtasks.execution.MinuteStatistics$MinuteCounts",
			"dev.backgroundtasks.execution.MinuteStatistics$OutcomeCounts",
			"dev.backgroundtasks.execution.MinuteStatistics$PickupLatency",
			"dev.backgroundtasks.execution.ExecutionStatistics$Backlog", "dev.backgroundtasks.execution.BatchState");

	/** The Actuator endpoint's answer. */
	static final List<String> ENDPOINT_MODEL = List.of(
			"dev.backgroundtasks.actuate.BackgroundTasksEndpoint$BackgroundTasksDescriptor",
			"dev.backgroundtasks.actuate.BackgroundTasksEndpoint$TaskDescriptor");

	/** What the cluster relay writes, private to its codec. */
	static final String CLUSTER_ENVELOPE = "dev.backgroundtasks.event.ClusterEventCodec$Envelope";

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(MIGRATIONS);
		hints.reflection()
			.registerType(TaskExecution.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.INVOKE_DECLARED_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS);
		this.bindings.registerReflectionHints(hints.reflection(), API_RECORDS.toArray(Class<?>[]::new));
		this.bindings.registerReflectionHints(hints.reflection(), EVENTS.toArray(Class<?>[]::new));
		// The cluster relay's envelope is private to its codec: Jackson writes it by reflection.
		hints.reflection()
			.registerType(TypeReference.of(CLUSTER_ENVELOPE),
					MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS);
		TASK_ANNOTATIONS.forEach((annotation) -> hints.reflection()
			.registerType(annotation, MemberCategory.INVOKE_DECLARED_METHODS));
		if (ClassUtils.isPresent("org.thymeleaf.TemplateEngine", classLoader)) {
			hints.resources().registerPattern(DASHBOARD_TEMPLATES).registerPattern(DASHBOARD_ASSETS);
			registerModel(hints, DASHBOARD_MODEL);
		}
		if (ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", classLoader)) {
			registerModel(hints, ENDPOINT_MODEL);
		}
	}

	private static void registerModel(RuntimeHints hints, List<String> typeNames) {
		typeNames.forEach((name) -> hints.reflection()
			.registerType(TypeReference.of(name), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS));
	}

}
