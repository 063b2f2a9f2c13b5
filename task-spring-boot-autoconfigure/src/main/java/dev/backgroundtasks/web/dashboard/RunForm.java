package dev.backgroundtasks.web.dashboard;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.backgroundtasks.ParameterProblem;
import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskParameterInfo;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.command.Submission;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.MultiValueMap;

/**
 * The "Run now" form of a task, generated from its parameter metadata: one typed input per parameter
 * (numbers, yes/no, dates, text, JSON for structured values), its default, whether it is required, and
 * what the server found wrong with the value last sent. The submitted text is turned into JSON params
 * loosely (a number field that does not hold a number is sent as text), so that the task's own binding
 * decides, with the same messages as the REST API.
 */
public final class RunForm {

	/** Form field names of the options, next to the params' fields ({@code param.<name>}). */
	static final String RUN_AT = "runAt";

	static final String DELAY = "delay";

	static final String PRIORITY = "priority";

	static final String KEY = "key";

	private static final String PARAM = "param.";

	private final List<Field> fields;

	private final Map<String, String> options;

	private final Map<String, String> errors;

	private RunForm(List<Field> fields, Map<String, String> options, Map<String, String> errors) {
		this.fields = fields;
		this.options = options;
		this.errors = errors;
	}

	/**
	 * @param task the task
	 * @return an empty form, with the parameters' defaults
	 */
	static RunForm empty(TaskInfo task) {
		return new RunForm(fields(task, Map.of(), Map.of()), Map.of(), Map.of());
	}

	/**
	 * @param task the task
	 * @param values the submitted form
	 * @param errors the problems by field name ({@code param.<name>}, or an option's name)
	 * @return the form as it was sent, with the problems by their fields
	 */
	static RunForm sent(TaskInfo task, MultiValueMap<String, String> values, Map<String, String> errors) {
		Map<String, String> sent = new LinkedHashMap<>();
		values.forEach((name, list) -> sent.put(name, list.isEmpty() ? "" : list.get(0)));
		return new RunForm(fields(task, sent, errors), sent, errors);
	}

	private static List<Field> fields(TaskInfo task, Map<String, String> sent, Map<String, String> errors) {
		List<Field> fields = new ArrayList<>();
		for (TaskParameterInfo parameter : task.parameters()) {
			String name = PARAM + parameter.name();
			String value = sent.containsKey(name) ? sent.get(name) : "";
			fields.add(new Field(parameter, name, ParameterInputs.input(parameter.type()), value, errors.get(name),
					ParameterInputs.constants(parameter.type())));
		}
		return fields;
	}

	public List<Field> fields() {
		return this.fields;
	}

	/**
	 * @param name an option's field name
	 * @return the value sent for it, or an empty text
	 */
	public String option(String name) {
		return this.options.getOrDefault(name, "");
	}

	/**
	 * @param name a field name
	 * @return what is wrong with its value, or {@code null}
	 */
	public @Nullable String error(String name) {
		return this.errors.get(name);
	}

	Map<String, String> errors() {
		return this.errors;
	}

	/**
	 * Reads a submitted form into a submission of the task by the dashboard, as the REST API's
	 * {@code $execute} would: blank fields are left out, so the task's defaults apply.
	 * @param task the task
	 * @param values the form
	 * @param mapper builds the JSON params
	 * @param problems receives what is wrong with the fields, by field name
	 * @return the submission, or {@code null} when a field could not be read
	 */
	static @Nullable Submission read(TaskInfo task, MultiValueMap<String, String> values, JsonMapper mapper,
			Map<String, String> problems) {
		ObjectNode params = mapper.createObjectNode();
		for (TaskParameterInfo parameter : task.parameters()) {
			String text = values.getFirst(PARAM + parameter.name());
			if (text == null || text.isBlank()) {
				continue;
			}
			String input = ParameterInputs.input(parameter.type());
			// Text keeps its spaces; numbers, dates and JSON do not need them.
			String entered = ("text".equals(input) || "enum".equals(input)) ? text : text.strip();
			JsonNode value = value(parameter.type(), entered, mapper, PARAM + parameter.name(), problems);
			if (value != null) {
				params.set(parameter.name(), value);
			}
		}
		Integer priority = option(values, PRIORITY, problems, (text) -> Integer.valueOf(text),
				"Enter a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
		Instant runAt = option(values, RUN_AT, problems, Instant::parse,
				"Enter an ISO-8601 instant such as 2026-01-31T09:00:00Z");
		Duration delay = option(values, DELAY, problems, DurationStyle::detectAndParse,
				"Enter a duration such as 30s, 5m or PT1H");
		String key = values.getFirst(KEY);
		if (!problems.isEmpty()) {
			return null;
		}
		try {
			return new Submission(task.name(), params, TaskTrigger.API, (priority != null) ? priority : 0, runAt, delay,
					(key != null && !key.isBlank()) ? key.strip() : null, null);
		}
		catch (IllegalArgumentException ex) {
			problems.put("", ex.getMessage());
			return null;
		}
	}

	private static @Nullable JsonNode value(String type, String text, JsonMapper mapper, String field,
			Map<String, String> problems) {
		String input = ParameterInputs.input(type);
		if ("number".equals(input)) {
			try {
				return ParameterInputs.isInteger(type) ? mapper.getNodeFactory().numberNode(new BigInteger(text))
						: mapper.getNodeFactory().numberNode(new BigDecimal(text));
			}
			catch (NumberFormatException ex) {
				// The task's binding names the problem, as for the REST API.
				return mapper.getNodeFactory().stringNode(text);
			}
		}
		if ("boolean".equals(input)) {
			return ("true".equals(text) || "false".equals(text)) ? mapper.getNodeFactory().booleanNode(Boolean.parseBoolean(text))
					: mapper.getNodeFactory().stringNode(text);
		}
		if ("json".equals(input)) {
			try {
				return mapper.readTree(text);
			}
			catch (JacksonException ex) {
				problems.put(field, "Not valid JSON: " + ex.getOriginalMessage());
				return null;
			}
		}
		return mapper.getNodeFactory().stringNode(text);
	}

	private static <T> @Nullable T option(MultiValueMap<String, String> values, String name,
			Map<String, String> problems, Parser<T> parser, String hint) {
		String text = values.getFirst(name);
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return parser.parse(text.strip());
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			problems.put(name, hint + ", got '" + text + "'");
		}
		catch (IllegalArgumentException ex) {
			problems.put(name, hint + ", got '" + text + "'");
		}
		return null;
	}

	/**
	 * @param problems the problems the task's binding found
	 * @return the same problems by field name
	 */
	static Map<String, String> byField(List<ParameterProblem> problems) {
		Map<String, String> byField = new LinkedHashMap<>();
		problems.forEach((problem) -> byField.merge(PARAM + problem.parameter(), problem.problem(),
				(a, b) -> a + "; " + b));
		return byField;
	}

	@FunctionalInterface
	private interface Parser<T> {

		T parse(String text);

	}

	/**
	 * One parameter's input.
	 *
	 * @param parameter the parameter
	 * @param name the field's name
	 * @param input how it is entered: {@code number}, {@code boolean}, {@code enum}, {@code date},
	 * {@code datetime-local}, {@code text} or {@code json}
	 * @param value the value last sent, or an empty text
	 * @param error what is wrong with that value, or {@code null}
	 * @param constants the choices of an {@code enum} input, else empty
	 */
	public record Field(TaskParameterInfo parameter, String name, String input, String value, @Nullable String error,
			List<String> constants) {

		/**
		 * @return the step of a number input: 1 for integers, any for decimals
		 */
		public String step() {
			return ParameterInputs.isInteger(this.parameter.type()) ? "1" : "any";
		}

		/**
		 * @return the field's element id
		 */
		public String id() {
			return "field-" + this.name.replace('.', '-');
		}

	}

}
