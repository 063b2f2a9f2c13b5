package dev.backgroundtasks.web.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.execution.ExecutionIds;
import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

/**
 * The filters of the executions page, as they live in its query string: read leniently (a value that
 * cannot be used is reported next to its field and left out, never a failed page), turned into an
 * {@link ExecutionFilter}, and written back into links.
 */
public final class ExecutionSearch {

	/** The query parameters of the filters, in the order of the form. */
	static final List<String> NAMES = List.of("task", "status", "tag", "key", "node", "trigger", "submittedBy", "from",
			"to", "batch");

	private final Map<String, String> values;

	private final Map<String, String> problems;

	private final ExecutionFilter filter;

	private ExecutionSearch(Map<String, String> values, Map<String, String> problems, ExecutionFilter filter) {
		this.values = values;
		this.problems = problems;
		this.filter = filter;
	}

	/**
	 * @param query the request's parameters
	 * @param registry resolves tags to task names
	 * @return the search
	 */
	static ExecutionSearch of(MultiValueMap<String, String> query, TaskRegistry registry) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String name : NAMES) {
			String value = query.getFirst(name);
			if (value != null && !value.isBlank()) {
				values.put(name, value.strip());
			}
		}
		Map<String, String> problems = new LinkedHashMap<>();
		ExecutionFilter filter = ExecutionFilter.all()
			.withTask(values.get("task"))
			.withStatus(parse(values, "status", problems, (text) -> TaskStatus.valueOf(text.toUpperCase(Locale.ROOT)),
					"Choose one of " + List.of(TaskStatus.values())))
			.withKey(values.get("key"))
			.withNode(values.get("node"))
			.withSubmittedBy(values.get("submittedBy"))
			.withTrigger(parse(values, "trigger", problems, (text) -> TaskTrigger.valueOf(text.toUpperCase(Locale.ROOT)),
					"Choose one of " + List.of(TaskTrigger.values())))
			.withFrom(parse(values, "from", problems, ExecutionSearch::instant, "Enter a time such as 2026-01-31T09:00"))
			.withTo(parse(values, "to", problems, ExecutionSearch::instant, "Enter a time such as 2026-01-31T18:00"))
			.withBatchId(parse(values, "batch", problems, UUID::fromString,
					"Enter a batch id (a UUID such as 0192b4e1-7c3a-7def-8a41-3f5e2c1d9b80)"));
		String tag = values.get("tag");
		if (tag != null) {
			List<String> tags = List.of(tag.split(",")).stream().map(String::strip).filter((t) -> !t.isEmpty()).toList();
			Set<String> tasks = new LinkedHashSet<>();
			registry.tasks(tags).stream().map(TaskInfo::name).forEach(tasks::add);
			filter = filter.withTasks(tasks);
		}
		return new ExecutionSearch(values, problems, filter);
	}

	/**
	 * Times are entered without a zone, in UTC, as a {@code datetime-local} input gives them; a full
	 * ISO-8601 instant is accepted too.
	 */
	private static Instant instant(String text) {
		Instant instant;
		try {
			instant = Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
		}
		// The filter compares times as ids hold them; one past the last (year 10889) is refused here, by its
		// field, rather than by the filter's constructor as a server error.
		ExecutionIds.lowest(instant);
		return instant;
	}

	private static <T> @Nullable T parse(Map<String, String> values, String name, Map<String, String> problems,
			java.util.function.Function<String, T> parser, String hint) {
		String text = values.get(name);
		if (text == null) {
			return null;
		}
		try {
			return parser.apply(text);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			problems.put(name, hint + "; '" + text + "' is not used");
			return null;
		}
	}

	/**
	 * @param id the text of the id field
	 * @return the id, or {@code null} when the text is not one
	 */
	static @Nullable UUID id(@Nullable String id) {
		if (id == null || id.isBlank()) {
			return null;
		}
		try {
			return UUID.fromString(id.strip());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	ExecutionFilter filter() {
		return this.filter;
	}

	/**
	 * @param name a filter's query parameter
	 * @return its value, or an empty text
	 */
	public String value(String name) {
		return this.values.getOrDefault(name, "");
	}

	/**
	 * @return what cannot be used, by query parameter
	 */
	public Map<String, String> problems() {
		return this.problems;
	}

	/**
	 * @return whether any filter is set
	 */
	public boolean isFiltered() {
		return !this.values.isEmpty();
	}

	/**
	 * @return the filters as query parameters, each once, in the form's order
	 */
	public List<Map.Entry<String, String>> parameters() {
		return new ArrayList<>(this.values.entrySet());
	}

	/**
	 * @param page a page number
	 * @return the query string of that page with these filters, starting with {@code ?}
	 */
	public String query(int page) {
		// Encoded as the filter form sends them: a URI builder keeps '+' as is, which the server reads as a space.
		StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
		this.values.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
		if (page > 0) {
			query.add("page=" + page);
		}
		return query.toString();
	}

}
