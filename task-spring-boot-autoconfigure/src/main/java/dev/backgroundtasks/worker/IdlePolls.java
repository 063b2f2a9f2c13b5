package dev.backgroundtasks.worker;

import java.time.Duration;

/**
 * How long the dispatcher waits before it looks for due executions again, when nothing wakes it: the
 * shortest wait after a look that found work, then twice as long after each look that found none, up to
 * the poll interval. Other nodes' submissions wake nobody where the database cannot signal them (H2,
 * MariaDB, PostgreSQL without LISTEN/NOTIFY): this keeps their pickup short while work is arriving and
 * the idle cost at one look per poll interval. With the shortest wait equal to the poll interval, every
 * wait is the poll interval. Used by the dispatcher thread only.
 */
final class IdlePolls {

	private final long minMillis;

	private final long maxMillis;

	private long currentMillis;

	/**
	 * @param min the wait after a look that found work
	 * @param max the longest wait, the poll interval
	 */
	IdlePolls(Duration min, Duration max) {
		this.maxMillis = Math.max(1, max.toMillis());
		this.minMillis = Math.max(1, Math.min(min.toMillis(), this.maxMillis));
		this.currentMillis = this.maxMillis;
	}

	/**
	 * @param claimed how many executions the last look claimed
	 * @return how long to wait before the next look
	 */
	Duration afterClaim(int claimed) {
		this.currentMillis = (claimed > 0) ? this.minMillis : Math.min(this.maxMillis, this.currentMillis * 2);
		return Duration.ofMillis(this.currentMillis);
	}

}
