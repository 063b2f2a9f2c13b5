package dev.backgroundtasks.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import dev.backgroundtasks.TaskInfo;
import dev.backgroundtasks.TaskRegistry;
import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.registry.TaskNames;
import org.jspecify.annotations.Nullable;

/**
 * The filters of {@code GET /executions} as they came in the query string, checked and turned into an
 * {@link ExecutionFilter}: a bad value is a {@code 400} naming its parameter and what it accepts. A
 * blank value does not filter, so that an empty field of a form means "any".
 *
 * @param task a task name
 * @param status a {@link TaskStatus}, any case
 * @param submittedBy a principal's name
 * @param tags tags (each a comma-separated list): only executions of tasks that carry all of them
 * @param key a deduplication key
 * @param node a node name
 * @param trigger a {@link TaskTrigger}, any case
 * @param from an ISO-8601 instant, the first creation time to include
 * @param to an ISO-8601 instant, the first creation time to leave out
 * @param batchId a batch id: only its members
 */
record ExecutionFilterRequest(@Nullable String task, @Nullable String status, @Nullable String submittedBy,
		@Nullable List<String> tags, @Nullable String key, @Nullable String node, @Nullable String trigger,
		@Nullable String from, @Nullable String to, @Nullable String batchId) {

	private static final Instant FIRST = Instant.parse("1970-01-01T00:00:00Z");

	private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

	/**
	 * @param registry resolves tags to the tasks that carry them
	 * @return the filter
	 * @throws InvalidRequestException when a value is bad
	 */
	ExecutionFilter toFilter(TaskRegistry registry) {
		String task = given(this.task);
		if (task != null && !TaskNames.isValid(task)) {
			// Never a task's name, and PostgreSQL rejects some characters (NUL) in a query.
			throw new InvalidRequestException("Query parameter 'task' must be a task name (letters, digits, '-' and"
					+ " '_'), got '" + task + "'");
		}
		Instant from = instant("from", this.from);
		Instant to = instant("to", this.to);
		if (from != null && to != null && from.isAfter(to)) {
			throw new InvalidRequestException(
					"Query parameter 'from' must not be after 'to', got from " + from + " and to " + to);
		}
		ExecutionFilter filter = ExecutionFilter.all()
			.withTask(task)
			.withStatus(constant("status", this.status, TaskStatus.values(), TaskStatus::valueOf))
			.withSubmittedBy(text("submittedBy", this.submittedBy))
			.withKey(text("key", this.key))
			.withNode(text("node", this.node))
			.withTrigger(constant("trigger", this.trigger, TaskTrigger.values(), TaskTrigger::valueOf))
			.withFrom(from)
			.withTo(to)
			.withBatchId(uuid("batchId", this.batchId));
		List<String> tags = (this.tags != null)
				? this.tags.stream().map(String::trim).filter((tag) -> !tag.isEmpty()).toList() : List.of();
		return tags.isEmpty() ? filter : filter.withTasks(registry.tasks(tags).stream().map(TaskInfo::name).toList());
	}

	private static @Nullable UUID uuid(String parameter, @Nullable String value) {
		if (given(value) == null) {
			return null;
		}
		try {
			return UUID.fromString(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Query parameter '" + parameter + "' must be a UUID, got '" + value + "'");
		}
	}

	private static @Nullable String given(@Nullable String value) {
		return (value != null && !value.isBlank()) ? value : null;
	}

	private static @Nullable String text(String parameter, @Nullable String value) {
		if (value != null && value.indexOf('\0') >= 0) {
			throw new InvalidRequestException("Query parameter '" + parameter + "' must not contain NUL characters");
		}
		return given(value);
	}

	private static <E extends Enum<E>> @Nullable E constant(String parameter, @Nullable String value, E[] values,
			Function<String, E> valueOf) {
		if (given(value) == null) {
			return null;
		}
		try {
			return valueOf.apply(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRequestException("Query parameter '" + parameter + "' must be one of "
					+ Arrays.toString(values) + " (any case), got '" + value + "'");
		}
	}

	private static @Nullable Instant instant(String parameter, @Nullable String value) {
		if (given(value) == null) {
			return null;
		}
		Instant instant;
		try {
			instant = Instant.parse(value.trim());
		}
		catch (DateTimeParseException ex) {
			// A '+' of an offset that was not encoded as %2B arrives as a space.
			throw new InvalidRequestException("Query parameter '" + parameter + "' must be an ISO-8601 instant such"
					+ " as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00%2B01:00 (a '+' encoded), got '" + value + "'");
		}
		if (instant.isBefore(FIRST) || !instant.isBefore(END)) {
			throw new InvalidRequestException(
					"Query parameter '" + parameter + "' must be in the years 1970 to 9999 (UTC), got " + value);
		}
		return instant;
	}

}
