package dev.backgroundtasks.it.fault;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * What the fault tests wait for and count.
 */
final class FaultChecks {

	private FaultChecks() {
	}

	/**
	 * Waits for a condition, polling; a failing poll (the database away) counts as not yet.
	 * @return whether it held in time: the caller reports its figures before failing
	 */
	static boolean within(Duration limit, Callable<Boolean> condition) {
		try {
			await().atMost(limit).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	/**
	 * @return how many attempts ended with an expired lease, in the attempt history of the schema
	 */
	static int leaseExpiries(JdbcTemplate jdbc) {
		Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM bgt_attempt WHERE outcome = 'LEASE_EXPIRED'",
				Integer.class);
		Integer failed = jdbc.queryForObject("SELECT COUNT(*) FROM bgt_execution WHERE status = 'FAILED'"
				+ " AND error_type = 'dev.backgroundtasks.LeaseExpiredException'", Integer.class);
		return ((count != null) ? count : 0) + ((failed != null) ? failed : 0);
	}

	/**
	 * @return the count of the node's {@code background.tasks.recovered} counters (attempts lost with their
	 * node that it recovered), or -1 when it has no meter registry
	 */
	static long recovered(ConfigurableApplicationContext node) {
		MeterRegistry registry = node.getBeanProvider(MeterRegistry.class).getIfAvailable();
		if (registry == null) {
			return -1;
		}
		return (long) registry.find("background.tasks.recovered").counters().stream().mapToDouble(Counter::count).sum();
	}

}
