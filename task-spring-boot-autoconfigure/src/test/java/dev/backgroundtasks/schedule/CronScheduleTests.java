package dev.backgroundtasks.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import dev.backgroundtasks.Misfire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CronSchedule}: crontab(5) meaning of 5-field expressions, macros, and fire times
 * across the DST changes of 2026.
 */
class CronScheduleTests {

	private static final ZoneId UTC = ZoneId.of("UTC");

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', value = { "0 9 * * 1-5|0 0 9 * * MON-FRI", "*/15 * * * *|0 */15 * * * *",
			"30 2 1 * *|0 30 2 1 * *", "0 0 1 JAN *|0 0 0 1 1 *", "5 4 * * SUN|0 5 4 * * SUN" })
	void fiveFieldsFireAsTheirSixFieldEquivalent(String fiveFields, String sixFields) {
		assertThat(fireTimes(fiveFields, UTC, "2026-01-01T00:00:00Z", 30))
			.isEqualTo(fireTimes(sixFields, UTC, "2026-01-01T00:00:00Z", 30));
	}

	@Test
	void sundayIsZeroOrSeven() {
		List<Instant> sundays = fireTimes("0 0 * * SUN", UTC, "2026-03-01T12:00:00Z", 5);
		assertThat(fireTimes("0 0 * * 0", UTC, "2026-03-01T12:00:00Z", 5)).isEqualTo(sundays);
		assertThat(fireTimes("0 0 * * 7", UTC, "2026-03-01T12:00:00Z", 5)).isEqualTo(sundays);
		assertThat(sundays).allSatisfy((time) -> assertThat(day(time)).isEqualTo(DayOfWeek.SUNDAY));
		assertThat(sundays.get(0)).isEqualTo("2026-03-08T00:00:00Z");
	}

	@Test
	void namesOfDaysAndMonthsWork() {
		assertThat(fireTimes("0 12 * FEB mon-wed", UTC, "2026-01-01T00:00:00Z", 3)).containsExactly(
				Instant.parse("2026-02-02T12:00:00Z"), Instant.parse("2026-02-03T12:00:00Z"),
				Instant.parse("2026-02-04T12:00:00Z"));
	}

	@Test
	void dayOfWeekStepsCountFromSundayAsInCrontab() {
		// crontab: */2 in day-of-week is 0,2,4,6 = Sunday, Tuesday, Thursday, Saturday (Spring alone: from Monday).
		assertThat(fireTimes("0 0 * * */2", UTC, "2026-03-01T12:00:00Z", 4)).extracting(CronScheduleTests::day)
			.containsExactly(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
	}

	@Test
	void restrictedDayOfMonthAndDayOfWeekMatchEither() {
		// The 13th of the month, or any Friday: crontab ORs the two day fields when both are restricted.
		List<Instant> fireTimes = fireTimes("0 0 13 * 5", UTC, "2025-12-31T23:59:59Z", 200);
		List<Instant> expected = new ArrayList<>();
		for (LocalDate day = LocalDate.of(2026, 1, 1); expected.size() < 200; day = day.plusDays(1)) {
			if (day.getDayOfMonth() == 13 || day.getDayOfWeek() == DayOfWeek.FRIDAY) {
				expected.add(day.atStartOfDay(UTC).toInstant());
			}
		}
		assertThat(fireTimes).isEqualTo(expected);
	}

	@Test
	void unrestrictedDayFieldKeepsTheOtherOnly() {
		// With one day field '*', the other alone decides, as in Spring.
		assertThat(fireTimes("0 0 * * 5", UTC, "2026-03-01T00:00:00Z", 3))
			.allSatisfy((time) -> assertThat(day(time)).isEqualTo(DayOfWeek.FRIDAY));
		assertThat(fireTimes("0 0 13 * *", UTC, "2026-03-01T00:00:00Z", 3)).containsExactly(
				Instant.parse("2026-03-13T00:00:00Z"), Instant.parse("2026-04-13T00:00:00Z"),
				Instant.parse("2026-05-13T00:00:00Z"));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', value = { "@hourly|0 * * * *", "@daily|0 0 * * *", "@midnight|0 0 * * *",
			"@weekly|0 0 * * 0", "@monthly|0 0 1 * *", "@yearly|0 0 1 1 *", "@annually|0 0 1 1 *" })
	void macrosFireAsTheirExpressions(String macro, String expression) {
		assertThat(fireTimes(macro, UTC, "2026-01-01T00:30:00Z", 5))
			.isEqualTo(fireTimes(expression, UTC, "2026-01-01T00:30:00Z", 5));
	}

	@Test
	void londonSpringForwardFiresASkippedTimeOnceAtTheEndOfTheGap() {
		// 2026-03-29: 01:00 GMT jumps to 02:00 BST, so 01:30 does not exist that day.
		assertThat(fireTimes("30 1 * * *", LONDON, "2026-03-27T12:00:00Z", 3)).containsExactly(
				Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
				Instant.parse("2026-03-30T00:30:00Z"));
	}

	@Test
	void newYorkSpringForwardFiresASkippedTimeOnceAtTheEndOfTheGap() {
		// 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
		assertThat(fireTimes("30 2 * * *", NEW_YORK, "2026-03-06T12:00:00Z", 3)).containsExactly(
				Instant.parse("2026-03-07T07:30:00Z"), Instant.parse("2026-03-08T07:00:00Z"),
				Instant.parse("2026-03-09T06:30:00Z"));
	}

	@Test
	void londonFallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
		// 2026-10-25: 02:00 BST falls back to 01:00 GMT, so 01:30 happens twice.
		assertThat(fireTimes("30 1 * * *", LONDON, "2026-10-23T12:00:00Z", 3)).containsExactly(
				Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
				Instant.parse("2026-10-26T01:30:00Z"));
	}

	@Test
	void newYorkFallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
		// 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
		assertThat(fireTimes("30 1 * * *", NEW_YORK, "2026-10-31T12:00:00Z", 2)).containsExactly(
				Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
	}

	@Test
	void hourlyExpressionsKeepCountingElapsedHoursAcrossDstChanges() {
		assertThat(fireTimes("30 * * * *", LONDON, "2026-03-29T00:00:00Z", 3)).containsExactly(
				Instant.parse("2026-03-29T00:30:00Z"), Instant.parse("2026-03-29T01:30:00Z"),
				Instant.parse("2026-03-29T02:30:00Z"));
		assertThat(fireTimes("0 * * * *", LONDON, "2026-10-24T23:30:00Z", 3)).containsExactly(
				Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
				Instant.parse("2026-10-25T02:00:00Z"));
	}

	@Test
	void latestFindsTheLastFireTimeBeforeABoundWithoutWalkingFromLongAgo() {
		CronSchedule everySecond = new CronSchedule("* * * * * *", UTC, Misfire.FIRE_ONCE);
		assertThat(everySecond.latest(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2026-05-01T10:00:00.5Z")))
			.isEqualTo("2026-05-01T10:00:00Z");
		CronSchedule yearly = new CronSchedule("@yearly", UTC, Misfire.FIRE_ONCE);
		assertThat(yearly.latest(Instant.parse("2023-06-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z")))
			.isEqualTo("2026-01-01T00:00:00Z");
		assertThat(yearly.latest(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z")))
			.isNull();
	}

	@Test
	void invalidExpressionsAreRejectedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabExpressions.translate("0 9 * *"))
			.withMessageContaining("expected 5 fields")
			.withMessageContaining("found 4");
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabExpressions.translate("61 * * * *"));
		assertThatIllegalArgumentException().isThrownBy(() -> CrontabExpressions.translate("0 0 * * 8"))
			.withMessageContaining("out of range 0-7");
	}

	private static List<Instant> fireTimes(String expression, ZoneId zone, String after, int count) {
		CronSchedule schedule = new CronSchedule(expression, zone, Misfire.FIRE_ONCE);
		List<Instant> times = new ArrayList<>();
		Instant time = Instant.parse(after);
		for (int i = 0; i < count; i++) {
			time = schedule.next(time);
			times.add(time);
		}
		return times;
	}

	private static DayOfWeek day(Instant time) {
		return time.atZone(UTC).getDayOfWeek();
	}

}
