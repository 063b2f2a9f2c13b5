package dev.backgroundtasks.web.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.backgroundtasks.TaskStatus;
import dev.backgroundtasks.TaskTrigger;
import dev.backgroundtasks.execution.ExecutionFilter;
import dev.backgroundtasks.registry.DefaultTaskRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionSearch}: the executions page's filters read leniently from the query string,
 * and written back into links.
 */
class ExecutionSearchTests {

	private final DefaultTaskRegistry registry = new DefaultTaskRegistry();

	ExecutionSearchTests() {
		this.registry.register("add", (params) -> null, "math", "quick");
		this.registry.register("greet", (params) -> null, "quick");
		this.registry.register("report", (params) -> null, "reports");
	}

	@Test
	void noParametersIsNoFilter() {
		ExecutionSearch search = search();
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all());
		assertThat(search.problems()).isEmpty();
		assertThat(search.isFiltered()).isFalse();
		assertThat(search.query(0)).isEmpty();
	}

	@Test
	void everyFilterIsRead() {
		ExecutionSearch search = search("task", "add", "status", "failed", "key", "k-1", "node", "vm:1", "trigger",
				"Schedule", "submittedBy", "alice", "from", "2026-01-31T09:00", "to", "2026-02-01T10:15:30Z");
		assertThat(search.problems()).isEmpty();
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all()
			.withTask("add")
			.withStatus(TaskStatus.FAILED)
			.withKey("k-1")
			.withNode("vm:1")
			.withTrigger(TaskTrigger.SCHEDULE)
			.withSubmittedBy("alice")
			.withFrom(Instant.parse("2026-01-31T09:00:00Z"))
			.withTo(Instant.parse("2026-02-01T10:15:30Z")));
		assertThat(search.isFiltered()).isTrue();
		assertThat(search.value("status")).isEqualTo("failed");
		assertThat(search.value("tag")).isEmpty();
	}

	@Test
	void valuesAreStrippedAndBlankOnesIgnored() {
		ExecutionSearch search = search("task", "  add ", "status", " ", "key", "", "from", "\t");
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all().withTask("add"));
		assertThat(search.problems()).isEmpty();
		assertThat(search.parameters()).containsExactly(Map.entry("task", "add"));
	}

	@Test
	void onlyTheFirstValueOfAParameterCounts() {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		query.add("status", "READY");
		query.add("status", "nope");
		assertThat(ExecutionSearch.of(query, this.registry).filter().status()).isEqualTo(TaskStatus.READY);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			status  | NOPE                      | Choose one of
			status  | 1                         | Choose one of
			trigger | cron                      | Choose one of
			from    | yesterday                 | Enter a time
			from    | 2026-13-01T00:00          | Enter a time
			from    | 2026-01-31                | Enter a time
			to      | 31/01/2026 09:00          | Enter a time
			to      | 2026-01-31T09:00+01:00[x] | Enter a time
			""")
	void aBadValueIsReportedByNameAndLeftOut(String name, String text, String hint) {
		ExecutionSearch search = search("task", "add", name, text);
		assertThat(search.problems()).containsOnlyKeys(name);
		assertThat(search.problems().get(name)).startsWith(hint).contains("'" + text + "' is not used");
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all().withTask("add"));
		// The value is kept for the form, so the user sees what they typed.
		assertThat(search.value(name)).isEqualTo(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "from", "to" })
	void aTimeBeyondWhatAnIdHoldsIsReportedNotThrown(String name) {
		ExecutionSearch search = search(name, "+20000-01-01T00:00:00Z");
		assertThat(search.problems()).containsOnlyKeys(name);
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all());
	}

	@Test
	void everyBadValueIsReportedAtOnce() {
		ExecutionSearch search = search("status", "x", "trigger", "y", "from", "z", "to", "w");
		assertThat(search.problems()).containsOnlyKeys("status", "trigger", "from", "to");
		assertThat(search.filter()).isEqualTo(ExecutionFilter.all());
	}

	@Test
	void aTagIsResolvedToItsTasks() {
		assertThat(search("tag", "quick").filter().tasks()).containsExactlyInAnyOrder("add", "greet");
		assertThat(search("tag", "reports").filter().tasks()).containsExactly("report");
	}

	@Test
	void severalTagsAreAllRequired() {
		assertThat(search("tag", "quick, math").filter().tasks()).containsExactly("add");
		assertThat(search("tag", "quick,,math,").filter().tasks()).containsExactly("add");
	}

	@Test
	void anUnknownTagMatchesNoExecutionRatherThanAll() {
		ExecutionSearch search = search("tag", "nope");
		assertThat(search.filter().tasks()).isNotNull().isEmpty();
		assertThat(search.problems()).isEmpty();
	}

	@Test
	void aTagAndATaskCombine() {
		ExecutionFilter filter = search("tag", "quick", "task", "report").filter();
		assertThat(filter.task()).isEqualTo("report");
		assertThat(filter.tasks()).containsExactlyInAnyOrder("add", "greet");
	}

	@Test
	void otherParametersAreNotFilters() {
		ExecutionSearch search = search("page", "3", "id", "x", "do", "retry-matching");
		assertThat(search.isFiltered()).isFalse();
		assertThat(search.problems()).isEmpty();
	}

	@Test
	void theQueryOfAPageKeepsTheFiltersInTheFormsOrder() {
		ExecutionSearch search = search("to", "2026-02-01T00:00", "task", "add", "status", "FAILED");
		assertThat(search.query(0)).isEqualTo("?task=add&status=FAILED&to=2026-02-01T00%3A00");
		assertThat(search.query(2)).isEqualTo("?task=add&status=FAILED&to=2026-02-01T00%3A00&page=2");
		assertThat(search().query(1)).isEqualTo("?page=1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a b", "a&b=c", "a+b", "50%", "ä/ü?#", "{x}", "a;b", "=", "2026-01-31T09:00:00+01:00" })
	void theQueryRoundTripsEveryValue(String value) {
		ExecutionSearch search = search("key", value, "submittedBy", value);
		String query = search.query(1);
		MultiValueMap<String, String> read = UriComponentsBuilder.fromUriString("http://localhost/x" + query)
			.build(true)
			.getQueryParams();
		assertThat(decode(read.getFirst("key"))).isEqualTo(value);
		assertThat(decode(read.getFirst("submittedBy"))).isEqualTo(value);
		assertThat(read.getFirst("page")).isEqualTo("1");
	}

	@Test
	void anExecutionIdIsReadLeniently() {
		UUID id = UUID.randomUUID();
		assertThat(ExecutionSearch.id(" " + id + " ")).isEqualTo(id);
		assertThat(ExecutionSearch.id(id.toString().toUpperCase())).isEqualTo(id);
		assertThat(ExecutionSearch.id(null)).isNull();
		assertThat(ExecutionSearch.id(" ")).isNull();
		assertThat(ExecutionSearch.id("not-an-id")).isNull();
		assertThat(ExecutionSearch.id(id + "0")).isNull();
	}

	/** Decodes a query value as a servlet container does for a GET: %XX as UTF-8, {@code +} as a space. */
	private static String decode(String encoded) {
		return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
	}

	private ExecutionSearch search(String... namesAndValues) {
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			query.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return ExecutionSearch.of(query, this.registry);
	}

}
