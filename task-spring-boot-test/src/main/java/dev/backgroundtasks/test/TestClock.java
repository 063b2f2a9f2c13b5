package dev.backgroundtasks.test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import dev.backgroundtasks.execution.ClockOverride;

/**
 * The time the engine runs on in a {@link BackgroundTasksTest}: it stands still until the test moves it,
 * forward only, through {@link BackgroundTasksTester#advance} or {@link BackgroundTasksTester#advanceTo}.
 * Every statement of the engine reads it in place of the database's clock: due times, retry delays, leases
 * and schedules. Kept to the microsecond, as the databases store times.
 */
public final class TestClock implements ClockOverride {

	private volatile Instant instant;

	TestClock(Instant start) {
		this.instant = start.truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * @return the current time of the test clock
	 */
	public Instant instant() {
		return this.instant;
	}

	@Override
	public Instant now() {
		return this.instant;
	}

	/**
	 * A {@link Clock} that reads this test clock, for the application's own code: declare it as the
	 * application's {@code Clock} bean in a test, and the tasks' view of now moves with the engine's.
	 * @param zone the zone of the clock
	 * @return a clock that reads this one
	 */
	public Clock toClock(ZoneId zone) {
		return new Clock() {

			@Override
			public ZoneId getZone() {
				return zone;
			}

			@Override
			public Clock withZone(ZoneId other) {
				return toClock(other);
			}

			@Override
			public Instant instant() {
				return TestClock.this.instant;
			}

		};
	}

	/**
	 * @return a clock in UTC that reads this one
	 */
	public Clock toClock() {
		return toClock(ZoneOffset.UTC);
	}

	void set(Instant instant) {
		Instant next = instant.truncatedTo(ChronoUnit.MICROS);
		if (next.isBefore(this.instant)) {
			throw new IllegalArgumentException(
					"The test clock only moves forward: it is at " + this.instant + ", asked for " + next);
		}
		this.instant = next;
	}

	@Override
	public String toString() {
		return "TestClock at " + this.instant;
	}

}
