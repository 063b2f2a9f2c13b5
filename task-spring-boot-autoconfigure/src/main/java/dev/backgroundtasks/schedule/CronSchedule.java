package dev.backgroundtasks.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

import dev.backgroundtasks.Misfire;
import dev.backgroundtasks.schedule.CrontabExpressions.SpringCron;
import org.jspecify.annotations.Nullable;

/**
 * A cron schedule in a time zone, on Spring's {@code CronExpression}. Across DST changes an expression
 * at fixed hours of the day behaves as crontab users expect, where Spring alone would not: a local
 * time skipped by spring-forward fires once, at the end of the gap (Spring skips that day), and a
 * local time repeated by fall-back fires once, at its first occurrence (Spring fires both).
 * Expressions that run every hour keep counting elapsed hours through both changes.
 */
final class CronSchedule implements Schedule {

	private final String expression;

	private final ZoneId zone;

	private final Misfire misfire;

	private final List<SpringCron> crons;

	CronSchedule(String expression, ZoneId zone, Misfire misfire) {
		this.expression = expression.trim();
		this.zone = zone;
		this.misfire = misfire;
		this.crons = CrontabExpressions.translate(expression);
	}

	@Override
	public String id() {
		return "cron " + this.expression + " " + this.zone.getId();
	}

	@Override
	public String expression() {
		return this.expression;
	}

	@Override
	public ZoneId zone() {
		return this.zone;
	}

	@Override
	public Misfire misfire() {
		return this.misfire;
	}

	@Override
	public @Nullable Instant next(Instant after) {
		Instant earliest = null;
		for (SpringCron cron : this.crons) {
			Instant next = next(cron, after);
			if (next != null && (earliest == null || next.isBefore(earliest))) {
				earliest = next;
			}
		}
		return earliest;
	}

	private @Nullable Instant next(SpringCron cron, Instant after) {
		ZoneRules rules = this.zone.getRules();
		Instant from = after;
		while (true) {
			ZonedDateTime next = cron.expression().next(ZonedDateTime.ofInstant(from, this.zone));
			if (next == null) {
				return null;
			}
			if (!cron.fixedHour()) {
				return next.toInstant();
			}
			Instant gapFire = skippedByGap(cron, rules, after, next.toInstant());
			if (gapFire != null) {
				return gapFire;
			}
			ZonedDateTime first = next.withEarlierOffsetAtOverlap();
			if (first.toInstant().equals(next.toInstant())) {
				return next.toInstant();
			}
			// The second occurrence of a repeated local time: its first occurrence was the fire time.
			ZoneOffsetTransition overlap = rules.getTransition(next.toLocalDateTime());
			from = overlap.getInstant().plus(overlap.getDuration().abs()).minusNanos(1);
		}
	}

	/**
	 * The end of the first spring-forward gap in {@code (after, next)} in which the expression would have
	 * fired had the local time existed, or {@code null}.
	 */
	private static @Nullable Instant skippedByGap(SpringCron cron, ZoneRules rules, Instant after, Instant next) {
		for (ZoneOffsetTransition transition = rules.nextTransition(after); transition != null
				&& transition.getInstant().isBefore(next); transition = rules.nextTransition(transition.getInstant())) {
			if (!transition.isGap()) {
				continue;
			}
			// Read the expression on the offset before the gap, where the skipped local times exist.
			ZonedDateTime beforeGap = transition.getDateTimeBefore().minusNanos(1).atZone(transition.getOffsetBefore());
			ZonedDateTime wouldFire = cron.expression().next(beforeGap);
			if (wouldFire != null && wouldFire.toLocalDateTime().isBefore(transition.getDateTimeAfter())) {
				return transition.getInstant();
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return this.expression + " (" + this.zone.getId() + ")";
	}

}
