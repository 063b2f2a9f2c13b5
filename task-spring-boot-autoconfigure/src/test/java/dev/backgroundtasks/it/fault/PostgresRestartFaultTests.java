package dev.backgroundtasks.it.fault;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.backgroundtasks.TaskClient;
import dev.backgroundtasks.it.PostgresTest;
import dev.backgroundtasks.it.PostgresTestDatabase;
import dev.backgroundtasks.it.TcpProxy;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarts during a drain: two nodes reach the database through a {@link TcpProxy}, which drops
 * every connection and refuses new ones for a few seconds once a quarter of the executions ran (or, when the
 * system property {@value #RESTART_COMMAND} names a command, that command restarts the real server: only
 * scripts/fault-test.sh does this). Nothing may be lost or failed: every execution ends
 * {@code SUCCESSFUL}, and none runs twice, since a result that could not be written during the outage is
 * written once the database is back, not run again. The outage is shorter than the lease (a longer one
 * lets leases expire by design) and longer than the pool's connection timeout, so writes fail rather than
 * wait for a connection.
 */
@PostgresTest
class PostgresRestartFaultTests {

	static final String RESTART_COMMAND = "bgt.fault.restart-command";

	private static final String TERMINAL = "status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')";

	@Test
	void aRestartDuringADrainLosesNothingFailsNothingAndRunsNothingTwice() throws Exception {
		int executions = FaultScale.of(2_000, 10_000);
		Duration outage = FaultScale.of(Duration.ofSeconds(5), Duration.ofSeconds(6));
		String restartCommand = System.getProperty(RESTART_COMMAND, "").trim();
		FaultTasks.drainRuns.clear();
		String url = PostgresTestDatabase.freshSchemaUrl();
		JdbcTemplate observer = FaultNodes.observer(url);
		try (TcpProxy proxy = FaultNodes.proxyTo(url)) {
			String viaProxy = FaultNodes.through(proxy, url);
			try (ConfigurableApplicationContext first = node(viaProxy, "node-a");
					ConfigurableApplicationContext second = node(viaProxy, "node-b")) {
				List<Map<String, Object>> params = IntStream.range(0, executions)
					.<Map<String, Object>>mapToObj((key) -> Map.of("key", key, "millis", 20))
					.toList();
				long started = System.nanoTime();
				first.getBean(TaskClient.class).submitAll("fault-drain", params);
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> FaultTasks.drainRuns.size() >= executions / 4);
				int ranBefore = FaultTasks.drainRuns.size();
				long outageStarted = System.nanoTime();
				if (restartCommand.isEmpty()) {
					proxy.down();
					// The fault itself: the server is away this long.
					Thread.sleep(outage.toMillis());
					proxy.up();
				}
				else {
					restart(restartCommand);
				}
				long outageNanos = System.nanoTime() - outageStarted;
				boolean allTerminal = FaultChecks.within(FaultScale.of(Duration.ofMinutes(2), Duration.ofMinutes(5)),
						() -> count(observer, "SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain' AND "
								+ TERMINAL) == executions);
				long drainNanos = System.nanoTime() - started;

				int rows = count(observer, "SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain'");
				int terminal = count(observer,
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain' AND " + TERMINAL);
				int successful = count(observer,
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain' AND status = 'SUCCESSFUL'");
				int failed = count(observer,
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain' AND status = 'FAILED'");
				int neverRan = executions - FaultTasks.drainRuns.size();
				int duplicates = (int) FaultTasks.drainRuns.values().stream().filter((runs) -> runs.get() > 1).count();
				int mostRuns = FaultTasks.drainRuns.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
				int leaseExpired = FaultChecks.leaseExpiries(observer);
				int laterAttempts = count(observer,
						"SELECT COUNT(*) FROM bgt_execution WHERE task_name = 'fault-drain' AND attempt > 1");
				Map<String, Object> figures = new LinkedHashMap<>();
				figures.put("executions", executions);
				figures.put("rows", rows);
				figures.put("terminal", terminal);
				figures.put("successful", successful);
				figures.put("failed", failed);
				figures.put("neverRan", neverRan);
				figures.put("ranTwice", duplicates);
				figures.put("mostRuns", mostRuns);
				figures.put("attemptAbove1", laterAttempts);
				figures.put("leaseExpiries", leaseExpired);
				figures.put("recovered", FaultChecks.recovered(first) + FaultChecks.recovered(second));
				figures.put("fault", restartCommand.isEmpty() ? "proxy-down" : "pg-restart");
				figures.put("ranBeforeFault", ranBefore);
				figures.put("refusedConnections", proxy.refusedConnections());
				figures.put("outage", FaultScale.seconds(outageNanos));
				figures.put("drain", FaultScale.seconds(drainNanos));
				FaultScale.summary("restart", figures);

				SoftAssertions softly = new SoftAssertions();
				softly.assertThat(ranBefore).as("executions run before the outage (it must begin mid-drain)")
					.isLessThan(executions);
				softly.assertThat(rows).as("executions stored").isEqualTo(executions);
				softly.assertThat(allTerminal).as("every execution terminal in time (terminal: %d of %d)", terminal,
						executions).isTrue();
				softly.assertThat(successful).as("executions SUCCESSFUL").isEqualTo(executions);
				softly.assertThat(failed).as("executions FAILED").isZero();
				softly.assertThat(neverRan).as("executions that never ran").isZero();
				softly.assertThat(duplicates)
					.as("executions run more than once (a success whose result could not be written during the outage"
							+ " must be written when the database is back, not run again)")
					.isZero();
				softly.assertAll();
			}
		}
	}

	/**
	 * A node whose pool gives up waiting for a connection after 250 ms (Hikari's least), so that statements
	 * fail during the outage instead of waiting in the pool, as they do in any outage longer than the pool's
	 * connection timeout (30 s by default). The lease (10 s) outlasts the outage.
	 */
	private static ConfigurableApplicationContext node(String url, String name) {
		return FaultNodes.start(url, name, "background-tasks.worker.concurrency=8",
				"background-tasks.worker.lease-time=10s", "background-tasks.worker.heartbeat-interval=1s",
				"spring.datasource.hikari.maximum-pool-size=12", "spring.datasource.hikari.connection-timeout=250");
	}

	private static int count(JdbcTemplate jdbc, String sql) {
		Integer count = jdbc.queryForObject(sql, Integer.class);
		return (count != null) ? count : 0;
	}

	private static void restart(String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("The restart command did not end within 2 minutes: " + command);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("The restart command failed (exit " + process.exitValue() + "): " + command);
		}
	}

}
