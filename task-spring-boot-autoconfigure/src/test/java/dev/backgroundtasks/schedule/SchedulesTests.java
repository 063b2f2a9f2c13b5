package dev.backgroundtasks.schedule;

import java.time.Instant;
import java.time.ZoneId;

import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.registry.ScheduleDeclaration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Schedules} and {@link IntervalSchedule}.
 */
class SchedulesTests {

	@Test
	void intervalsFireOnMultiplesOfTheIntervalSinceTheEpoch() {
		Schedule every30s = parse("", "", "30s");
		assertThat(every30s.next(Instant.parse("2026-05-01T10:00:07.250Z"))).isEqualTo("2026-05-01T10:00:30Z");
		assertThat(every30s.next(Instant.parse("2026-05-01T10:00:30Z"))).isEqualTo("2026-05-01T10:01:00Z");
		Schedule every7m = parse("", "", "PT7M");
		Instant next = every7m.next(Instant.parse("2026-05-01T10:00:00Z"));
		assertThat(next.getEpochSecond() % 420).isZero();
		assertThat(every7m.next(next.minusSeconds(419))).isEqualTo(next);
		assertThat(every30s.latest(Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-01T10:00:59Z")))
			.isEqualTo("2026-05-01T10:00:30Z");
		assertThat(every30s.latest(Instant.parse("2026-05-01T10:00:30Z"), Instant.parse("2026-05-01T10:00:59Z")))
			.isNull();
	}

	@Test
	void twoNodesStartedAtDifferentTimesComputeTheSameIntervalFireTimes() {
		Schedule schedule = parse("", "", "30s");
		Instant fromA = schedule.next(schedule.next(Instant.parse("2026-05-01T10:00:01Z")));
		Instant fromB = schedule.next(Instant.parse("2026-05-01T10:00:44Z"));
		assertThat(fromA).isEqualTo(fromB).isEqualTo("2026-05-01T10:01:00Z");
	}

	@Test
	void idsAreStableAndDistinguishZones() {
		assertThat(parse("0 9 * * *", "Europe/London", "").id()).isEqualTo("cron 0 9 * * * Europe/London");
		assertThat(parse("0 9 * * *", "", "").id()).isEqualTo("cron 0 9 * * * UTC");
		assertThat(parse("", "", "30s").id()).isEqualTo("every PT30S");
		assertThat(parse("0 9 * * *", "", "").zone()).isEqualTo(ZoneId.of("UTC"));
	}

	@Test
	void rejectsAnInvalidCronNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("0 25 * * *", "", ""))
			.withMessageStartingWith("invalid cron expression '0 25 * * *'");
	}

	@Test
	void rejectsAnUnknownZoneNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("0 9 * * *", "Mars/Olympus_Mons", ""))
			.withMessageStartingWith("unknown time zone 'Mars/Olympus_Mons'");
	}

	@Test
	void rejectsBadIntervals() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse("", "", "soon"))
			.withMessageStartingWith("invalid interval 'soon'");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("", "", "500ms"))
			.withMessageContaining("at least 1 second");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("", "Europe/London", "1h"))
			.withMessageContaining("has no effect on interval");
		assertThatIllegalArgumentException().isThrownBy(() -> parse("0 9 * * *", "", "1h"))
			.withMessageContaining("not both");
	}

	@Test
	void dashDisablesADeclaration() {
		assertThat(new ScheduleDeclaration("-", "", "", Misfire.FIRE_ONCE).isDisabled()).isTrue();
		assertThat(new ScheduleDeclaration("", "", " - ", Misfire.FIRE_ONCE).isDisabled()).isTrue();
		assertThat(new ScheduleDeclaration("0 9 * * *", "", "", Misfire.FIRE_ONCE).isDisabled()).isFalse();
	}

	private static Schedule parse(String cron, String zone, String every) {
		return Schedules.parse(new ScheduleDeclaration(cron, zone, every, Misfire.FIRE_ONCE));
	}

}
