package dev.backgroundtasks.web.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.RetryInfo;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RunForm}: the input each parameter type gets, and how a submitted form becomes a
 * submission (or problems by field) without ever deciding for the task's own binding.
 */
class RunFormTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@ParameterizedTest(name = "{0} -> {1} (step {2})")
	@CsvSource(delimiter = '|', textBlock = """
			int                                              | number         | 1
			long                                             | number         | 1
			short                                            | number         | 1
			java.lang.Integer                                | number         | 1
			java.lang.Long                                   | number         | 1
			java.math.BigInteger                             | number         | 1
			double                                           | number         | any
			float                                            | number         | any
			java.lang.Double                                 | number         | any
			java.math.BigDecimal                             | number         | any
			boolean                                          | boolean        | any
			java.lang.Boolean                                | boolean        | any
			java.time.LocalDate                              | date           | any
			java.time.LocalDateTime                          | datetime-local | any
			java.lang.String                                 | text           | any
			java.util.UUID                                   | text           | any
			java.time.Instant                                | text           | any
			java.time.Duration                               | text           | any
			java.util.List<java.lang.String>                 | json           | any
			java.util.Map<java.lang.String, java.lang.Integer> | json         | any
			java.util.Set<java.util.UUID>                    | json           | any
			com.example.Orders$Order                         | json           | any
			int[]                                            | json           | any
			""")
	void eachParameterTypeGetsItsInput(String type, String input, String step) {
		RunForm.Field field = RunForm.empty(task(parameter("p", type, false))).fields().get(0);
		assertThat(field.input()).isEqualTo(input);
		assertThat(field.name()).isEqualTo("param.p");
		assertThat(field.id()).isEqualTo("field-param-p");
		if ("number".equals(input)) {
			assertThat(field.step()).isEqualTo(step);
		}
	}

	@Test
	void anEnumTheApplicationKnowsIsAChoiceOfItsConstantsAndIsSentAsText() {
		RunForm.Field field = RunForm.empty(task(parameter("day", "java.time.DayOfWeek", true))).fields().get(0);
		assertThat(field.input()).isEqualTo("enum");
		assertThat(field.constants()).containsExactly("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
				"SATURDAY", "SUNDAY");
		Map<String, String> problems = new LinkedHashMap<>();
		Submission submission = RunForm.read(task(parameter("day", "java.time.DayOfWeek", true)),
				form("param.day", "FRIDAY"), this.mapper, problems);
		assertThat(problems).isEmpty();
		assertThat(submission.params().get("day").asString()).isEqualTo("FRIDAY");
		assertThat(RunForm.empty(task(parameter("p", "com.example.Missing", false))).fields().get(0).input())
			.isEqualTo("json");
	}

	@Test
	void textKeepsItsSpaces() {
		Map<String, String> problems = new LinkedHashMap<>();
		Submission submission = RunForm.read(task(parameter("name", "java.lang.String", false)),
				form("param.name", "  two spaces  "), this.mapper, problems);
		assertThat(submission.params().get("name").asString()).isEqualTo("  two spaces  ");
	}

	@Test
	void anEmptyFormHasOneEmptyFieldPerParameterInOrder() {
		RunForm form = RunForm.empty(task(parameter("b", "int", true), parameter("a", "java.lang.String", false)));
		assertThat(form.fields()).extracting(RunForm.Field::name).containsExactly("param.b", "param.a");
		assertThat(form.fields()).allSatisfy((field) -> {
			assertThat(field.value()).isEmpty();
			assertThat(field.error()).isNull();
		});
		assertThat(form.option(RunForm.DELAY)).isEmpty();
	}

	@Test
	void aSentFormKeepsTheValuesAndTheProblemsByField() {
		TaskInfo task = task(parameter("a", "int", true), parameter("b", "int", true));
		RunForm form = RunForm.sent(task, form("param.a", "2", "param.b", "x", "delay", "soon"),
				Map.of("param.b", "must be a number", "delay", "bad delay"));
		assertThat(form.fields()).extracting(RunForm.Field::value).containsExactly("2", "x");
		assertThat(form.fields()).extracting(RunForm.Field::error).containsExactly(null, "must be a number");
		assertThat(form.option("delay")).isEqualTo("soon");
		assertThat(form.error("delay")).isEqualTo("bad delay");
		assertThat(form.error("priority")).isNull();
	}

	@Test
	void integersAreSentAsJsonIntegersAndDecimalsExactly() {
		TaskInfo task = task(parameter("i", "int", true), parameter("l", "long", true),
				parameter("big", "java.math.BigInteger", true), parameter("d", "double", true),
				parameter("m", "java.math.BigDecimal", true));
		Submission submission = read(task, form("param.i", " 42 ", "param.l", "9007199254740993", "param.big",
				"123456789012345678901234567890", "param.d", "2.5", "param.m", "0.10"));
		assertThat(json(submission)).isEqualTo(
				"{\"i\":42,\"l\":9007199254740993,\"big\":123456789012345678901234567890,\"d\":2.5,\"m\":0.10}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "1.5", "1e3", "0x10", "NaN", "Infinity", "--1" })
	void aNonIntegerInAnIntegerFieldIsSentAsTextForTheTasksBinder(String text) {
		Submission submission = read(task(parameter("n", "int", true)), form("param.n", text));
		assertThat(json(submission)).isEqualTo("{\"n\":\"" + text + "\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "NaN", "1,5" })
	void aNonNumberInADecimalFieldIsSentAsTextForTheTasksBinder(String text) {
		Submission submission = read(task(parameter("x", "double", true)), form("param.x", text));
		assertThat(json(submission)).isEqualTo("{\"x\":\"" + text + "\"}");
	}

	@Test
	void booleansAreSentAsJsonBooleansAndAnythingElseAsText() {
		TaskInfo task = task(parameter("t", "boolean", true), parameter("f", "java.lang.Boolean", true),
				parameter("y", "boolean", true));
		assertThat(json(read(task, form("param.t", "true", "param.f", "false", "param.y", "yes"))))
			.isEqualTo("{\"t\":true,\"f\":false,\"y\":\"yes\"}");
	}

	@Test
	void textsAndDatesAreSentAsJsonStrings() {
		TaskInfo task = task(parameter("s", "java.lang.String", true), parameter("d", "java.time.LocalDate", true),
				parameter("t", "java.time.LocalDateTime", true), parameter("u", "java.util.UUID", true));
		assertThat(json(read(task, form("param.s", "{\"not\":\"json\"}", "param.d", "2026-02-30", "param.t",
				"2026-01-31T09:00", "param.u", "not-a-uuid"))))
			.isEqualTo("{\"s\":\"{\\\"not\\\":\\\"json\\\"}\",\"d\":\"2026-02-30\","
					+ "\"t\":\"2026-01-31T09:00\",\"u\":\"not-a-uuid\"}");
	}

	@Test
	void jsonFieldsAreParsed() {
		TaskInfo task = task(parameter("list", "java.util.List<java.lang.String>", true),
				parameter("map", "java.util.Map<java.lang.String, java.lang.Integer>", true));
		assertThat(json(read(task, form("param.list", "[\"a\", \"b\"]", "param.map", "{\"x\": 1}"))))
			.isEqualTo("{\"list\":[\"a\",\"b\"],\"map\":{\"x\":1}}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[\"a\"", "a, b", "{x: 1}", "[1]]" })
	void invalidJsonInAJsonFieldIsAProblemByThatField(String text) {
		TaskInfo task = task(parameter("ok", "int", true), parameter("list", "java.util.List<java.lang.String>", true));
		Map<String, String> problems = new LinkedHashMap<>();
		Submission submission = RunForm.read(task, form("param.ok", "1", "param.list", text), this.mapper, problems);
		assertThat(submission).isNull();
		assertThat(problems).containsOnlyKeys("param.list");
		assertThat(problems.get("param.list")).startsWith("Not valid JSON");
	}

	@Test
	void blankAndMissingFieldsAreLeftOutSoTheTasksDefaultsApply() {
		TaskInfo task = task(parameter("a", "int", false), parameter("b", "java.lang.String", false),
				parameter("c", "java.util.List<java.lang.String>", false), parameter("d", "boolean", false));
		Submission submission = read(task, form("param.a", "", "param.b", "   ", "param.c", "\t", "priority", " ",
				"runAt", "", "delay", "", "key", "  "));
		assertThat(json(submission)).isEqualTo("{}");
		assertThat(submission.priority()).isZero();
		assertThat(submission.runAt()).isNull();
		assertThat(submission.delay()).isNull();
		assertThat(submission.key()).isNull();
	}

	@Test
	void fieldsOfNoParameterAreIgnored() {
		assertThat(json(read(task(parameter("a", "int", false)), form("param.other", "1", "other", "2"))))
			.isEqualTo("{}");
	}

	@Test
	void optionsAreReadIntoTheSubmission() {
		Submission submission = read(task(), form("priority", " 7 ", "delay", "30s", "key", " nightly "));
		assertThat(submission.task()).isEqualTo("t");
		assertThat(submission.trigger()).isEqualTo(TaskTrigger.API);
		assertThat(submission.priority()).isEqualTo(7);
		assertThat(submission.delay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(submission.key()).isEqualTo("nightly");
		assertThat(read(task(), form("runAt", "2026-01-31T09:00:00Z")).runAt())
			.isEqualTo(Instant.parse("2026-01-31T09:00:00Z"));
		assertThat(read(task(), form("delay", "PT1H")).delay()).isEqualTo(Duration.ofHours(1));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			priority | high                 | Enter a whole number
			priority | 1.5                  | Enter a whole number
			priority | 2147483648           | Enter a whole number
			runAt    | tomorrow             | Enter an ISO-8601 instant
			runAt    | 2026-01-31T09:00     | Enter an ISO-8601 instant
			delay    | soon                 | Enter a duration
			delay    | 5 minutes            | Enter a duration
			delay    | 9223372036854775807d | Enter a duration
			""")
	void aBadOptionIsAProblemByItsField(String name, String text, String message) {
		Map<String, String> problems = new LinkedHashMap<>();
		assertThat(RunForm.read(task(parameter("a", "int", true)), form("param.a", "1", name, text), this.mapper,
				problems))
			.isNull();
		assertThat(problems).containsOnlyKeys(name);
		assertThat(problems.get(name)).startsWith(message).endsWith("got '" + text + "'");
	}

	@Test
	void everyBadFieldIsReportedAtOnce() {
		Map<String, String> problems = new LinkedHashMap<>();
		TaskInfo task = task(parameter("list", "java.util.List<java.lang.String>", true));
		assertThat(RunForm.read(task, form("param.list", "[", "priority", "x", "runAt", "y", "delay", "z"), this.mapper,
				problems))
			.isNull();
		assertThat(problems).containsOnlyKeys("param.list", "priority", "runAt", "delay");
	}

	@Test
	void whatTheSubmissionRefusesIsAProblemOfTheWholeForm() {
		Map<String, String> problems = new LinkedHashMap<>();
		assertThat(RunForm.read(task(), form("runAt", "2026-01-31T09:00:00Z", "delay", "5m"), this.mapper, problems))
			.isNull();
		assertThat(problems).containsOnlyKeys("");
		assertThat(problems.get("")).contains("either runAt or delay");
	}

	@Test
	void theBindersProblemsAreMappedToTheirFields() {
		Map<String, String> byField = RunForm.byField(List.of(new ParameterProblem("a", "is required"),
				new ParameterProblem("b", "expected int"), new ParameterProblem("a", "another")));
		assertThat(byField).containsExactly(Map.entry("param.a", "is required; another"),
				Map.entry("param.b", "expected int"));
	}

	private Submission read(TaskInfo task, MultiValueMap<String, String> form) {
		Map<String, String> problems = new LinkedHashMap<>();
		Submission submission = RunForm.read(task, form, this.mapper, problems);
		assertThat(problems).isEmpty();
		assertThat(submission).isNotNull();
		return submission;
	}

	private String json(Submission submission) {
		return this.mapper.writeValueAsString(submission.params());
	}

	private static MultiValueMap<String, String> form(String... namesAndValues) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			form.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return form;
	}

	private static TaskParameterInfo parameter(String name, String type, boolean required) {
		return new TaskParameterInfo(name, type, required, null, "", false);
	}

	private static TaskInfo task(TaskParameterInfo... parameters) {
		return new TaskInfo("t", "", List.of(), "com.example.Tasks#t()", "t()", List.of(parameters), false, null, 0,
				new RetryInfo(1, Duration.ZERO, Duration.ZERO), true, List.of(), null, true);
	}

}
