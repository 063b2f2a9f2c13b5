package dev.backgroundtasks.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import dev.backgroundtasks.Misfire;
import org.jspecify.annotations.Nullable;

/**
 * When a task fires. Fire times are a pure function of the schedule, so every node computes the same
 * ones and the database's unique (task, schedule id, fire time) key creates each once.
 */
public interface Schedule {

	/**
	 * Spans tried, shortest first, to find the latest fire time before a bound without stepping
	 * through every fire time since a long-ago start (an every-second cron after a month of downtime).
	 */
	List<Duration> SEARCH_WINDOWS = List.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1),
			Duration.ofDays(32), Duration.ofDays(367));

	/**
	 * @return the id stored with each fire time, stable across restarts and nodes
	 */
	String id();

	/**
	 * @return the expression as declared, e.g. {@code "0 9 * * 1-5"} or {@code "every 30s"}
	 */
	String expression();

	/**
	 * @return the zone of a cron expression; {@code null} for an interval
	 */
	@Nullable ZoneId zone();

	/**
	 * @return what to do about missed fire times
	 */
	Misfire misfire();

	/**
	 * @param after an instant
	 * @return the first fire time strictly after it, or {@code null} when there is none
	 */
	@Nullable Instant next(Instant after);

	/**
	 * The latest fire time in {@code (after, bound]}.
	 * @param after the exclusive lower bound
	 * @param bound the inclusive upper bound
	 * @return the latest fire time in that range, or {@code null} when there is none
	 */
	default @Nullable Instant latest(Instant after, Instant bound) {
		Instant first = next(after);
		if (first == null || first.isAfter(bound)) {
			return null;
		}
		for (Duration window : SEARCH_WINDOWS) {
			Instant from = bound.minus(window);
			if (!from.isAfter(after)) {
				break;
			}
			Instant found = next(from);
			if (found != null && !found.isAfter(bound)) {
				return walk(found, bound);
			}
		}
		return walk(first, bound);
	}

	private @Nullable Instant walk(Instant from, Instant bound) {
		Instant last = from;
		for (Instant next = next(last); next != null && !next.isAfter(bound); next = next(last)) {
			last = next;
		}
		return last;
	}

}
