package dev.backgroundtasks.web.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DashboardFormat}: what the pages show for times, durations, counts and ids.
 */
class DashboardFormatTests {

	private final DashboardFormat format = new DashboardFormat(JsonMapper.builder().build());

	@ParameterizedTest(name = "{0} ms -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			0          | 0 ms
			850        | 850 ms
			999        | 999 ms
			1000       | 1.0 s
			2449       | 2.4 s
			59999      | 60.0 s
			60000      | 1 min 0 s
			185000     | 3 min 5 s
			3599999    | 59 min 59 s
			3600000    | 1 h 0 min
			7440000    | 2 h 4 min
			86399999   | 23 h 59 min
			86400000   | 1 d 0 h
			93600000   | 1 d 2 h
			-5000      | 0 ms
			""")
	void durationsAreForPeople(long millis, String text) {
		assertThat(this.format.duration(Duration.ofMillis(millis))).isEqualTo(text);
	}

	@Test
	void noDurationIsADash() {
		assertThat(this.format.duration(null)).isEqualTo("–");
	}

	@Test
	void betweenNeedsBothEnds() {
		Instant start = Instant.parse("2026-01-31T09:00:00Z");
		assertThat(this.format.between(start, start.plusMillis(2_400))).isEqualTo("2.4 s");
		assertThat(this.format.between(start, null)).isNull();
		assertThat(this.format.between(null, start)).isNull();
	}

	@Test
	void countsHaveSeparators() {
		assertThat(this.format.count(0)).isEqualTo("0");
		assertThat(this.format.count(1_234_567)).isEqualTo("1,234,567");
	}

	@Test
	void aCountThatReachedItsLimitIsShownAsTheLimitAndMore() {
		assertThat(this.format.capped(9_999, 10_000)).isEqualTo("9,999");
		assertThat(this.format.capped(10_000, 10_000)).isEqualTo("10,000+");
		assertThat(this.format.capped(10_001, 10_000)).isEqualTo("10,000+");
		assertThat(this.format.capped(0, 10_000)).isEqualTo("0");
	}

	@Test
	void anIdIsShownByItsLastTwelveCharacters() {
		UUID id = UUID.fromString("0192b4e1-7c3a-7def-8a41-3f5e2c1d9b80");
		assertThat(this.format.suffix(id)).isEqualTo("…3f5e2c1d9b80");
	}

	@Test
	void timesAreUtc() {
		Instant instant = Instant.parse("2026-12-06T07:00:00.123456Z");
		assertThat(this.format.utc(instant)).isEqualTo("2026-12-06 07:00:00 UTC");
		assertThat(this.format.iso(instant)).isEqualTo("2026-12-06T07:00:00.123Z");
	}

	@Test
	void jsonIsIndented() {
		assertThat(this.format.json(Map.of("a", List.of(1)))).contains("\n").contains("\"a\"");
		assertThat(this.format.json(null)).isEqualTo("null");
		assertThat(this.format.json(5)).isEqualTo("5");
	}

}
