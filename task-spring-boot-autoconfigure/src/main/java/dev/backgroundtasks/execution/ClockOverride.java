package dev.backgroundtasks.execution;

import java.time.Instant;

/**
 * The time the engine takes as now in place of the database's clock: every statement of the stores then
 * reads this instant where it would read {@code CURRENT_TIMESTAMP}, so due times, leases, retry delays and
 * schedules all follow it. For tests only: the test kit ({@code task-spring-boot-test}) provides one, and a
 * database it runs on must be the test's own. Production has none, and its statements are unchanged.
 *
 * @see DatabaseDialect#of(DatabaseKind, org.springframework.transaction.support.TransactionOperations,
 * ClockOverride)
 */
@FunctionalInterface
public interface ClockOverride {

	/**
	 * @return the instant statements take as now; read once per statement sent
	 */
	Instant now();

}
