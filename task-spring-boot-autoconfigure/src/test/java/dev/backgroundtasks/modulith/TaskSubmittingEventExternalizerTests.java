package dev.backgroundtasks.modulith;

import java.util.List;
import java.util.Map;

import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.TaskHandle;
import dev.backgroundtasks.UnknownTaskException;
import dev.backgroundtasks.modulith.TaskSubmittingEventExternalizer.ExternalizationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Tests for {@link TaskSubmittingEventExternalizer}: routing target to task, event to params, and the
 * errors that leave a publication incomplete.
 */
class TaskSubmittingEventExternalizerTests {

	private final TaskClient tasks = mock(TaskClient.class);

	record Shipped(String orderId, int parcels) {
	}

	record Ignored(String id) {
	}

	@Test
	void submitsTheTaskTheRoutingTargetNamesWithTheEventsPropertiesAsParams() {
		when(this.tasks.submit(any(), anyMap())).thenReturn(mock(TaskHandle.class));
		externalizer(EventExternalizationConfiguration.externalizing()
			.selectByType(Shipped.class)
			.routeAll((event) -> RoutingTarget.forTarget("ship").withoutKey())
			.build()).externalize(new Shipped("o-1", 3));
		verify(this.tasks).submit(eq("ship"), eq(Map.of("orderId", json("o-1"), "parcels", json(3))));
	}

	@Test
	void theConfigurationsMappingShapesTheParams() {
		when(this.tasks.submit(any(), anyMap())).thenReturn(mock(TaskHandle.class));
		externalizer(EventExternalizationConfiguration.externalizing()
			.selectByType(Shipped.class)
			.mapping(Shipped.class, (event) -> Map.of("id", event.orderId()))
			.routeAll((event) -> RoutingTarget.forTarget("ship").withoutKey())
			.build()).externalize(new Shipped("o-2", 1));
		verify(this.tasks).submit(eq("ship"), eq(Map.of("id", json("o-2"))));
	}

	@Test
	void leavesEventsTheConfigurationDoesNotSelectAlone() {
		TaskSubmittingEventExternalizer externalizer = externalizer(EventExternalizationConfiguration.externalizing()
			.selectByType(Shipped.class)
			.routeAll((event) -> RoutingTarget.forTarget("ship").withoutKey())
			.build());
		assertThat(externalizer.supports(new Ignored("x"))).isFalse();
		externalizer.externalize(new Ignored("x"));
		verifyNoInteractions(this.tasks);
	}

	@Test
	void aTargetThatNamesNoTaskFailsNamingTheEventAndTheTarget() {
		when(this.tasks.submit(eq("nope"), anyMap())).thenThrow(new UnknownTaskException("nope"));
		assertThatExceptionOfType(ExternalizationException.class)
			.isThrownBy(() -> externalizer(routedTo("nope")).externalize(new Shipped("o-3", 1)))
			.withMessageContaining("Event " + Shipped.class.getName() + " is externalized to 'nope'")
			.withMessageContaining("names no background task");
	}

	@Test
	void paramsThatDoNotFitTheTaskFailNamingTheProblem() {
		when(this.tasks.submit(eq("ship"), anyMap())).thenThrow(new InvalidTaskParametersException("ship",
				List.of(new ParameterProblem("parcels", "unknown parameter"))));
		assertThatExceptionOfType(ExternalizationException.class)
			.isThrownBy(() -> externalizer(routedTo("ship")).externalize(new Shipped("o-4", 1)))
			.withMessageContaining("Event " + Shipped.class.getName() + " does not fit the params of task 'ship'")
			.withMessageContaining("parcels");
	}

	@Test
	void anEventThatIsNoJsonObjectFailsClearly() {
		EventExternalizationConfiguration configuration = EventExternalizationConfiguration.externalizing()
			.selectByType(Shipped.class)
			.mapping(Shipped.class, Shipped::orderId)
			.routeAll((event) -> RoutingTarget.forTarget("ship").withoutKey())
			.build();
		assertThatExceptionOfType(ExternalizationException.class)
			.isThrownBy(() -> externalizer(configuration).externalize(new Shipped("o-5", 1)))
			.withMessageContaining("as JSON string, not an object");
		verifyNoInteractions(this.tasks);
	}

	private static EventExternalizationConfiguration routedTo(String task) {
		return EventExternalizationConfiguration.externalizing()
			.selectByType(Shipped.class)
			.routeAll((event) -> RoutingTarget.forTarget(task).withoutKey())
			.build();
	}

	private TaskSubmittingEventExternalizer externalizer(EventExternalizationConfiguration configuration) {
		return new TaskSubmittingEventExternalizer(configuration, this.tasks, JsonMapper.builder().build());
	}

	private static JsonNode json(Object value) {
		return JsonMapper.builder().build().valueToTree(value);
	}

}
