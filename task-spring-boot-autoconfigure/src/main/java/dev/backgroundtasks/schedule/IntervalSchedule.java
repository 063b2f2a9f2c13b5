package dev.backgroundtasks.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import dev.backgroundtasks.Misfire;
import org.jspecify.annotations.Nullable;

/**
 * Fires every fixed interval, at the multiples of the interval since the epoch: every node computes
 * the same fire times whenever it started, and they do not depend on a zone or DST.
 */
final class IntervalSchedule implements Schedule {

	private final String expression;

	private final Duration interval;

	private final Misfire misfire;

	IntervalSchedule(String expression, Duration interval, Misfire misfire) {
		if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("interval '" + expression + "' must be at least 1 second");
		}
		this.expression = expression;
		this.interval = interval;
		this.misfire = misfire;
	}

	@Override
	public String id() {
		return "every " + this.interval;
	}

	@Override
	public String expression() {
		return "every " + this.expression;
	}

	@Override
	public @Nullable ZoneId zone() {
		return null;
	}

	@Override
	public Misfire misfire() {
		return this.misfire;
	}

	@Override
	public Instant next(Instant after) {
		long intervalNanos = this.interval.toNanos();
		long periods = Math.floorDiv(Duration.between(Instant.EPOCH, after).toNanos(), intervalNanos);
		return Instant.EPOCH.plusNanos(Math.multiplyExact(periods + 1, intervalNanos));
	}

	@Override
	public @Nullable Instant latest(Instant after, Instant bound) {
		long intervalNanos = this.interval.toNanos();
		long periods = Math.floorDiv(Duration.between(Instant.EPOCH, bound).toNanos(), intervalNanos);
		Instant latest = Instant.EPOCH.plusNanos(Math.multiplyExact(periods, intervalNanos));
		return latest.isAfter(after) ? latest : null;
	}

	@Override
	public String toString() {
		return expression();
	}

}
