package dev.backgroundtasks.registry;

import java.lang.reflect.Method;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.backgroundtasks.InvalidTaskDefinitionException;
import dev.backgroundtasks.InvalidTaskParametersException;
import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskParam;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link TaskParameterBinder} with a real {@link JsonMapper} and definitions built from the
 * methods of {@link Tasks}.
 */
class TaskParameterBinderTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TaskParameterBinder binder = new TaskParameterBinder(this.mapper);

	private final Tasks tasks = new Tasks();

	@Test
	void bindsRecord() throws Exception {
		TaskDefinition task = define("report");
		@Nullable Object[] arguments = bind(task, "{\"period\":{\"from\":\"2026-01-31\",\"days\":7}}");
		assertThat(arguments).containsExactly(new Period(LocalDate.of(2026, 1, 31), 7));
		assertThat(task.invoker().invoke(arguments)).isEqualTo("2026-01-31+7");
	}

	@Test
	void bindsListOfIntegers() {
		assertThat(bind(define("numbers"), "{\"values\":[3,1,2]}")).containsExactly(List.of(3, 1, 2));
	}

	@Test
	void bindsMapOfIntegers() {
		assertThat(bind(define("counts"), "{\"counts\":{\"a\":1,\"b\":2}}")).containsExactly(Map.of("a", 1, "b", 2));
	}

	@Test
	void bindsEnum() {
		assertThat(bind(define("paint"), "{\"color\":\"GREEN\"}")).containsExactly(Color.GREEN);
	}

	@Test
	void bindsInstant() {
		assertThat(bind(define("at"), "{\"when\":\"2026-11-22T09:00:00Z\"}"))
			.containsExactly(Instant.parse("2026-11-22T09:00:00Z"));
	}

	@Test
	void bindsPresentOptional() {
		assertThat(bind(define("optional"), "{\"region\":\"emea\"}")).containsExactly(Optional.of("emea"));
	}

	@Test
	void bindsAbsentOptionalToEmpty() {
		TaskDefinition task = define("optional");
		assertThat(task.parameters().get(0).required()).isFalse();
		assertThat(bind(task, "{}")).containsExactly(Optional.empty());
	}

	@Test
	void bindsExplicitNullOptionalToEmpty() {
		assertThat(bind(define("optional"), "{\"region\":null}")).containsExactly(Optional.empty());
	}

	@Test
	void bindsAbsentNullableToNull() {
		TaskDefinition task = define("nullable");
		assertThat(task.parameters().get(0).required()).isFalse();
		assertThat(bind(task, "{}")).containsExactly((Object) null);
	}

	@Test
	void usesDefaultValuesWhenAbsent() {
		TaskDefinition task = define("defaults");
		assertThat(task.parameters()).noneMatch(TaskParameter::required);
		assertThat(bind(task, "{}")).containsExactly("all", 7, List.of(1, 2), "[x]", Color.RED);
	}

	@Test
	void givenValuesOverrideDefaultValues() {
		assertThat(bind(define("defaults"), "{\"region\":\"emea\",\"days\":1,\"ids\":[9],\"raw\":\"y\",\"color\":\"BLUE\"}"))
			.containsExactly("emea", 1, List.of(9), "y", Color.BLUE);
	}

	@Test
	void usesDefaultValueForExplicitNull() {
		assertThat(bind(define("defaults"), "{\"region\":null}")).startsWith("all", 7);
	}

	@Test
	void primitivesWithoutDefaultAreRequired() {
		TaskDefinition task = define("primitives");
		assertThat(task.parameters()).allMatch(TaskParameter::required);
		assertThat(problems(task, "{}")).extracting(ParameterProblem::parameter).containsExactly("count", "flag");
		assertThat(bind(task, "{\"count\":3,\"flag\":true}")).containsExactly(3, true);
	}

	@Test
	void namesEveryMissingUnknownAndIllTypedParameterAtOnce() {
		TaskDefinition task = define("mixed");
		InvalidTaskParametersException ex = catchInvalid(task,
				"{\"count\":\"many\",\"ids\":{\"a\":1},\"colour\":\"red\",\"extra\":1}");
		assertThat(ex.getTask()).isEqualTo("mixed");
		assertThat(ex.getProblems()).extracting(ParameterProblem::parameter)
			.containsExactlyInAnyOrder("colour", "extra", "name", "count", "ids");
		assertThat(problem(ex, "colour")).contains("is not a parameter of task 'mixed'").contains("[name, count, ids]");
		assertThat(problem(ex, "name")).contains("is required");
		assertThat(problem(ex, "count")).contains("expected int").contains("\"many\"");
		assertThat(problem(ex, "ids")).contains("expected java.util.List<java.lang.Integer>");
		assertThat(ex.getMessage()).contains("'colour'", "'extra'", "'name'", "'count'", "'ids'");
	}

	@Test
	void rejectsExplicitNullForRequiredParameter() {
		assertThat(problems(define("mixed"), "{\"name\":null,\"count\":1,\"ids\":[]}"))
			.extracting(ParameterProblem::parameter)
			.containsExactly("name");
	}

	@Test
	void explainsThatAnExplicitNullIsNotAllowed() {
		assertThat(problems(define("mixed"), "{\"name\":null,\"count\":1,\"ids\":[]}"))
			.singleElement()
			.extracting(ParameterProblem::problem, as(InstanceOfAssertFactories.STRING))
			.startsWith("must not be null");
	}

	@Test
	void rejectsExplicitNullForPrimitive() {
		assertThat(problems(define("primitives"), "{\"count\":null,\"flag\":false}"))
			.extracting(ParameterProblem::parameter)
			.containsExactly("count");
	}

	@Test
	void acceptsGoodDefaults() {
		assertThatNoException().isThrownBy(() -> this.binder.checkDefaults(define("defaults")));
	}

	@Test
	void checkDefaultsNamesTheMethodOfABadDefault() {
		assertThatExceptionOfType(InvalidTaskDefinitionException.class)
			.isThrownBy(() -> this.binder.checkDefaults(define("badDefault")))
			.withMessageContaining("'abc'")
			.withMessageContaining("'days'")
			.withMessageContaining(Tasks.class.getName() + "#badDefault(int)");
	}

	@Test
	void functionTaskGetsTheParamsMapAsIs() throws Exception {
		AtomicReference<Map<String, Object>> received = new AtomicReference<>();
		DefaultTaskRegistry registry = new DefaultTaskRegistry();
		registry.register("fn", (params) -> {
			received.set(params);
			return params.size();
		});
		TaskDefinition task = registry.definition("fn").orElseThrow();
		@Nullable Object[] arguments = bind(task, "{\"anything\":[1,\"two\"],\"nested\":{\"a\":true},\"none\":null}");
		assertThat(task.invoker().invoke(arguments)).isEqualTo(3);
		assertThat(received.get()).hasSize(3)
			.containsEntry("anything", List.of(1, "two"))
			.containsEntry("nested", Map.of("a", true))
			.containsEntry("none", null);
	}

	private TaskDefinition define(String methodName) {
		Method method = Arrays.stream(Tasks.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(methodName))
			.findFirst()
			.orElseThrow();
		return MethodTaskDefinitions.create(methodName, "", List.of(), this.tasks, method, method);
	}

	private @Nullable Object[] bind(TaskDefinition task, String json) {
		return this.binder.bind(task, (ObjectNode) this.mapper.readTree(json));
	}

	private InvalidTaskParametersException catchInvalid(TaskDefinition task, String json) {
		try {
			bind(task, json);
		}
		catch (InvalidTaskParametersException ex) {
			return ex;
		}
		throw new AssertionError("Expected InvalidTaskParametersException for " + json);
	}

	private List<ParameterProblem> problems(TaskDefinition task, String json) {
		return catchInvalid(task, json).getProblems();
	}

	private static String problem(InvalidTaskParametersException ex, String parameter) {
		return ex.getProblems()
			.stream()
			.filter((problem) -> problem.parameter().equals(parameter))
			.map(ParameterProblem::problem)
			.findFirst()
			.orElseThrow();
	}

	record Period(LocalDate from, int days) {
	}

	enum Color {

		RED, GREEN, BLUE

	}

	static class Tasks {

		public String report(Period period) {
			return period.from() + "+" + period.days();
		}

		public void numbers(List<Integer> values) {
		}

		public void counts(Map<String, Integer> counts) {
		}

		public void paint(Color color) {
		}

		public void at(Instant when) {
		}

		public void optional(Optional<String> region) {
		}

		public void nullable(@Nullable String region) {
		}

		public void defaults(@TaskParam(defaultValue = "all") String region, @TaskParam(defaultValue = "7") int days,
				@TaskParam(defaultValue = "[1,2]") List<Integer> ids, @TaskParam(defaultValue = "[x]") String raw,
				@TaskParam(defaultValue = "RED") Color color) {
		}

		public void primitives(int count, boolean flag) {
		}

		public void mixed(String name, int count, List<Integer> ids) {
		}

		public void badDefault(@TaskParam(defaultValue = "abc") int days) {
		}

	}

}
